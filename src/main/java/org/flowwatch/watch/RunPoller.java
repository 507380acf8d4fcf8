package org.flowwatch.watch;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.flowwatch.globus.flows.FlowRun;
import org.flowwatch.globus.flows.FlowRuns;
import org.flowwatch.globus.GlobusException;
import org.flowwatch.globus.NotFoundException;
import org.flowwatch.globus.RateLimitedException;
import org.flowwatch.globus.flows.FlowRun;
import org.flowwatch.globus.flows.FlowsClient;
import org.flowwatch.ledger.RunRecord;
import org.flowwatch.ledger.RunState;
import org.flowwatch.ledger.Transition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the agent's runs (ACTIVE, INACTIVE, LOST) until the service says they ended, each on its own
 * backoff (runs last hours; the first polls come soon, later ones every few minutes), and records what it
 * sees. Only the service's own SUCCEEDED, FAILED and ENDED are final: a run the service answers 404 for
 * is LOST and looked at again slowly; when every poll of a pass answers 404, it is this identity or
 * service URL, not the runs, and polling pauses instead.
 */
final class RunPoller {
  private static final Logger log = LoggerFactory.getLogger(RunPoller.class);
  /** How often a LOST run is looked at again. */
  static final Duration LOST_POLL = Duration.ofMinutes(10);
  /** How long polling pauses when every run answered 404. */
  static final Duration IDENTITY_PAUSE = Duration.ofMinutes(5);

  private final FlowRuns runs;
  private final TransitionLog ledger;
  private final Clock clock;
  private final Duration firstPoll;
  private final Duration maxPoll;
  private final String flowScope;
  private final Map<String, Instant> next = new HashMap<>();
  private final Map<String, Duration> interval = new HashMap<>();
  private Instant pausedUntil = Instant.MIN;

  RunPoller(FlowRuns runs, TransitionLog ledger, Clock clock, Duration firstPoll, Duration maxPoll,
      String flowScope) {
    this.runs = runs;
    this.ledger = ledger;
    this.clock = clock;
    this.firstPoll = firstPoll;
    this.maxPoll = maxPoll;
    this.flowScope = flowScope;
  }

  /**
   * Polls the rows that are due.
   *
   * @return when the service asked to slow down (429), until when; else null
   */
  Instant pollDue(Iterable<RunRecord> rows) {
    Instant now = clock.instant();
    if (now.isBefore(pausedUntil)) {
      return null;
    }
    List<RunRecord> missing = new ArrayList<>();
    int polled = 0;
    for (RunRecord row : rows) {
      if (row.runId() == null || clock.instant().isBefore(next.getOrDefault(row.key(), Instant.MIN))) {
        continue;
      }
      polled++;
      try {
        record(row, runs.get(UUID.fromString(row.runId())));
      } catch (RateLimitedException e) {
        return clock.instant().plus(e.retryAfter().orElse(Duration.ofSeconds(30)));
      } catch (NotFoundException e) {
        missing.add(row);
      } catch (GlobusException e) {
        log.warn("{}: cannot get the status of run {}: {}", row.key(), row.runId(), e.getMessage());
        schedule(row.key(), false);
      }
    }
    if (polled > 1 && missing.size() == polled) {
      pausedUntil = clock.instant().plus(IDENTITY_PAUSE);
      log.warn("every one of the {} runs polled answered 404: the service does not show them to this identity."
          + " Check GLOBUS_CLIENT_ID (or the login), and GLOBUS_SDK_SERVICE_URL_FLOWS; polling again at {}",
          polled, pausedUntil);
      return null;
    }
    for (RunRecord row : missing) {
      lost(row);
    }
    return null;
  }

  private void lost(RunRecord row) {
    if (row.state() != RunState.LOST) {
      String why = "the service answers 404 for run " + row.runId() + ": it is not visible to this identity"
          + " (another client id or login started it?), the service URL changed, or the run was deleted;"
          + " looking again every " + LOST_POLL.toMinutes() + " minutes (" + FlowRun.page(row.runId()) + ")";
      ledger.apply(Transition.of(row.key(), RunState.LOST).from(row.state()).error(why).reason(why));
      log.warn("{}: {}", row.key(), why);
    }
    next.put(row.key(), clock.instant().plus(LOST_POLL));
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
    RunState state = stateOf(run);
    boolean changed = state != row.state();
    if (changed) {
      String detail = (run.detailsCode() == null ? run.status() : run.detailsCode())
          + (run.detailsDescription() == null ? "" : ": " + run.detailsDescription());
      Transition t = Transition.of(row.key(), state).from(row.state()).reason(detail);
      String hint = run.consentHint(flowScope);
      String fix = hint != null ? "; " + hint : " (see " + run.page() + ")";
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
    if (state.isFinal()) {
      next.remove(row.key());
      interval.remove(row.key());
    } else {
      schedule(row.key(), changed);
    }
  }

  private void schedule(String key, boolean reset) {
    Duration d = reset || !interval.containsKey(key) ? firstPoll : interval.get(key).multipliedBy(2);
    if (d.compareTo(maxPoll) > 0) {
      d = maxPoll;
    }
    interval.put(key, d);
    next.put(key, clock.instant().plus(d));
  }

  /** A run that just started: its first poll comes after the first interval, not at once. */
  void started(String key) {
    schedule(key, true);
  }

  /** The earliest moment a poll is due, for the loop's sleep. */
  Instant nextDue() {
    Instant earliest = next.values().stream().min(Instant::compareTo).orElse(Instant.MAX);
    return earliest.isBefore(pausedUntil) ? pausedUntil : earliest;
  }
}
