package org.flowwatch.watch;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.flowwatch.globus.GlobusException;
import org.flowwatch.globus.NotFoundException;
import org.flowwatch.globus.RateLimitedException;
import org.flowwatch.globus.flows.FlowRun;
import org.flowwatch.globus.flows.FlowRuns;
import org.flowwatch.ledger.RunRecord;
import org.flowwatch.ledger.RunState;
import org.flowwatch.ledger.Transition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the agent's runs (ACTIVE, INACTIVE, LOST) until the service says they ended, and records what it
 * sees. Once every {@code watch.status_poll} one list call asks for the flow's runs that are still active,
 * and, when some followed runs are missing from it, one more for the runs that ended since the earliest of
 * those started; only a run neither list shows is fetched on its own. A pass costs two list calls (paged),
 * however many runs are active or ended. Only the service's own SUCCEEDED, FAILED
 * and ENDED are final: a run the service answers 404 for is LOST and looked at again slowly; when every run
 * that was visible answers 404 at once, it is this identity or service URL, not the runs, and polling
 * pauses instead.
 */
final class RunPoller {
  private static final Logger log = LoggerFactory.getLogger(RunPoller.class);
  /** How often a LOST run is looked at again. */
  static final Duration LOST_POLL = Duration.ofMinutes(10);
  /** How far the service's clock may be behind this host's when asking for runs that ended since then. */
  static final Duration CLOCK_MARGIN = Duration.ofMinutes(5);
  /** How long polling pauses when every run answered 404. */
  static final Duration IDENTITY_PAUSE = Duration.ofMinutes(5);

  private final FlowRuns runs;
  private final TransitionLog ledger;
  private final Clock clock;
  private final Duration interval;
  private final String flowScope;
  private final Map<String, Instant> lostUntil = new HashMap<>();
  /** The next pass; MAX while the last pass found nothing to follow and nothing has started since. */
  private Instant nextPass = Instant.MIN;
  private Instant pausedUntil = Instant.MIN;
  /** When the last active list was asked for: a run it showed ended after that, if at all. */
  private Instant lastListed = Instant.MIN;

  private final org.flowwatch.ops.AgentMetrics metrics;

  RunPoller(FlowRuns runs, TransitionLog ledger, Clock clock, Duration interval, String flowScope) {
    this(runs, ledger, clock, interval, flowScope, new org.flowwatch.ops.AgentMetrics(clock));
  }

  /** @param metrics told when the service answered a poll */
  RunPoller(FlowRuns runs, TransitionLog ledger, Clock clock, Duration interval, String flowScope,
      org.flowwatch.ops.AgentMetrics metrics) {
    this.metrics = metrics;
    this.runs = runs;
    this.ledger = ledger;
    this.clock = clock;
    this.interval = interval;
    this.flowScope = flowScope;
  }

  /**
   * Runs a pass when one is due; {@code followed} (the ledger's ACTIVE, INACTIVE and LOST rows) is read
   * only then. A 429 moves the next pass to when the service asked.
   */
  void pollDue(Supplier<List<RunRecord>> followed) {
    Instant now = clock.instant();
    if (now.isBefore(nextPass) || now.isBefore(pausedUntil)) {
      return;
    }
    List<RunRecord> rows = followed.get().stream().filter(r -> r.runId() != null).toList();
    nextPass = rows.isEmpty() ? Instant.MAX : now.plus(interval);
    if (rows.isEmpty()) {
      return;
    }
    Map<String, FlowRun> active = new HashMap<>();
    Instant listedBefore = lastListed;
    try {
      for (FlowRun run : runs.listActive()) {
        active.put(run.runId().toString(), run);
      }
      lastListed = now;
      metrics.polled();
    } catch (RateLimitedException e) {
      nextPass = slowDown(e);
      return;
    } catch (NotFoundException e) {
      pause("the service answers 404 for this flow's run list: " + e.getMessage());
      return;
    } catch (GlobusException e) {
      log.warn("cannot list the flow's active runs: {}; trying again at {}", e.getMessage(), nextPass);
      return;
    }
    List<RunRecord> gone = new ArrayList<>();
    List<RunRecord> lostDue = new ArrayList<>();
    for (RunRecord row : rows) {
      FlowRun run = active.get(row.runId());
      if (run != null) {
        record(row, run);
      } else if (row.state() != RunState.LOST) {
        gone.add(row);
      } else if (!now.isBefore(lostUntil.getOrDefault(row.key(), Instant.MIN))) {
        lostDue.add(row);
      }
    }
    List<RunRecord> ended = new ArrayList<>(lostDue);
    ended.addAll(recordEnded(gone, listedBefore));
    fetchEnded(ended, !active.isEmpty());
  }

  /**
   * Records how the runs missing from the active list ended, from one list of the flow's runs that ended
   * since the earliest any of them can have ended: the last active list, which showed every run followed
   * then, or, for a row that went ACTIVE after it, that moment. A margin allows for the service's clock.
   *
   * @param listedBefore when the previous active list was asked for (MIN: never)
   * @return the rows that list did not show either, to be fetched one by one
   */
  private List<RunRecord> recordEnded(List<RunRecord> gone, Instant listedBefore) {
    if (gone.isEmpty()) {
      return gone;
    }
    Instant since = gone.stream().map(r -> r.updatedAt().isAfter(listedBefore) ? r.updatedAt() : listedBefore)
        .min(Instant::compareTo).orElseThrow().minus(CLOCK_MARGIN);
    Map<String, FlowRun> ended = new HashMap<>();
    try {
      for (FlowRun run : runs.listEndedSince(since)) {
        ended.put(run.runId().toString(), run);
      }
    } catch (RateLimitedException e) {
      nextPass = slowDown(e);
      return List.of();
    } catch (GlobusException e) {
      // A service that refuses the completion filter still answers a GET per run.
      log.debug("cannot list the flow's ended runs ({}); asking for each", e.getMessage());
      return gone;
    }
    List<RunRecord> unseen = new ArrayList<>();
    for (RunRecord row : gone) {
      FlowRun run = ended.get(row.runId());
      if (run != null) {
        record(row, run);
      } else {
        unseen.add(row);
      }
    }
    return unseen;
  }

  private Instant slowDown(RateLimitedException e) {
    Instant until = clock.instant().plus(e.retryAfter().orElse(Duration.ofSeconds(30)));
    log.info("the Flows service asked to slow down; next status poll at {}", until);
    return until;
  }

  /** Each followed run the list did not show: fetched once, to learn how it ended (or that it is gone). */
  private void fetchEnded(List<RunRecord> ended, boolean listShowedOurs) {
    List<RunRecord> missing = new ArrayList<>();
    boolean anyVisible = listShowedOurs;
    for (RunRecord row : ended) {
      try {
        record(row, runs.get(UUID.fromString(row.runId())));
        anyVisible = true;
      } catch (RateLimitedException e) {
        nextPass = slowDown(e);
        return;
      } catch (NotFoundException e) {
        missing.add(row);
      } catch (GlobusException e) {
        log.warn("{}: cannot get the status of run {}: {}", row.key(), row.runId(), e.getMessage());
      }
    }
    // LOST rows answering 404 again say nothing new; runs that were visible all vanishing at once does.
    long wereVisible = missing.stream().filter(r -> r.state() != RunState.LOST).count();
    if (!anyVisible && wereVisible > 1) {
      pause("every one of the " + wereVisible + " runs it followed answered 404: the service does not show them"
          + " to this identity");
      return;
    }
    missing.forEach(this::lost);
  }

  private void pause(String why) {
    pausedUntil = clock.instant().plus(IDENTITY_PAUSE);
    nextPass = pausedUntil;
    // Agent-wide: no run can be followed while this lasts, so an ERROR, not a run's WARN.
    log.error("{}. Check GLOBUS_CLIENT_ID (or the login), and GLOBUS_SDK_SERVICE_URL_FLOWS; polling again at {}",
        why, pausedUntil);
  }

  private void lost(RunRecord row) {
    if (row.state() != RunState.LOST) {
      String why = "the service answers 404 for run " + row.runId() + ": it is not visible to this identity"
          + " (another client id or login started it?), the service URL changed, or the run was deleted;"
          + " looking again every " + LOST_POLL.toMinutes() + " minutes (" + runs.pageOf(UUID.fromString(row.runId()))
          + ")";
      ledger.apply(Transition.of(row.key(), RunState.LOST).from(row.state()).error(why).reason(why));
      log.warn("{}: {}", row.key(), why);
    }
    lostUntil.put(row.key(), clock.instant().plus(LOST_POLL));
  }

  /** The ledger state for what the service says of a run. */
  static RunState stateOf(FlowRun run) {
    return switch (run.runStatus()) {
      case SUCCEEDED -> RunState.SUCCEEDED;
      case FAILED -> RunState.FAILED;
      case ENDED -> RunState.ENDED;
      case INACTIVE -> RunState.INACTIVE;
      case ACTIVE, OTHER -> RunState.ACTIVE;
    };
  }

  private void record(RunRecord row, FlowRun run) {
    lostUntil.remove(row.key());
    RunState state = stateOf(run);
    if (state == row.state()) {
      return;
    }
    String detail = (run.detailsCode() == null ? run.status() : run.detailsCode())
        + (run.detailsDescription() == null ? "" : ": " + run.detailsDescription());
    Transition t = Transition.of(row.key(), state).from(row.state()).reason(detail);
    String hint = run.consentHint(flowScope);
    String fix = hint != null ? "; " + hint : " (see " + runs.pageOf(run.runId()) + ")";
    if (state == RunState.INACTIVE || state == RunState.FAILED) {
      t.error(detail + fix);
    } else {
      t.clearError();
    }
    ledger.apply(t);
    if (state == RunState.INACTIVE) {
      log.warn("{}: run {} waits for a person: {}{}", row.key(), run.runId(), detail, fix);
    }
  }

  /** A run just started: follow it from the next pass, one interval from now at the latest. */
  void started() {
    Instant soon = clock.instant().plus(interval);
    if (soon.isBefore(nextPass)) {
      nextPass = soon;
    }
  }

  /** The earliest moment a pass is due, for the loop's sleep. */
  Instant nextDue() {
    return nextPass.isBefore(pausedUntil) ? pausedUntil : nextPass;
  }
}
