package org.flowwatch.watch;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
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
 * Polls ACTIVE and INACTIVE runs until they end, each on its own backoff (runs last hours; the first
 * polls come soon, later ones every few minutes), and records what it sees.
 */
final class RunPoller {
  private static final Logger log = LoggerFactory.getLogger(RunPoller.class);

  private final FlowsClient flows;
  private final TransitionLog ledger;
  private final StartPacer pacer;
  private final AgentOptions options;
  private final Clock clock;
  private final String flowScope;
  private final Map<String, Instant> next = new HashMap<>();
  private final Map<String, Duration> interval = new HashMap<>();

  RunPoller(FlowsClient flows, TransitionLog ledger, StartPacer pacer, AgentOptions options, Clock clock,
      String flowScope) {
    this.flows = flows;
    this.ledger = ledger;
    this.pacer = pacer;
    this.options = options;
    this.clock = clock;
    this.flowScope = flowScope;
  }

  /** Polls the runs that are due; returns false when the service asked the agent to slow down. */
  boolean pollDue(Iterable<RunRecord> rows) {
    for (RunRecord row : rows) {
      Instant now = clock.instant();
      if (now.isBefore(next.getOrDefault(row.key(), Instant.MIN)) || row.runId() == null) {
        continue;
      }
      try {
        FlowRun run = flows.getRun(UUID.fromString(row.runId()));
        record(row, run);
      } catch (RateLimitedException e) {
        pacer.pauseUntil(now.plus(e.retryAfter().orElse(Duration.ofSeconds(30))));
        return false;
      } catch (NotFoundException e) {
        // Run records are kept 90 days; one that is gone cannot be followed any further.
        ledger.apply(Transition.of(row.key(), RunState.FAILED).from(row.state()).error(e.getMessage())
            .reason("the run no longer exists at the service"));
      } catch (GlobusException e) {
        log.warn("{}: cannot get the status of run {}: {}", row.key(), row.runId(), e.getMessage());
        schedule(row.key(), false);
      }
    }
    return true;
  }

  private void record(RunRecord row, FlowRun run) {
    RunState state = switch (run.status()) {
      case "SUCCEEDED" -> RunState.SUCCEEDED;
      case "FAILED", "ENDED" -> RunState.FAILED;
      case "INACTIVE" -> RunState.INACTIVE;
      default -> RunState.ACTIVE;
    };
    boolean changed = state != row.state();
    if (changed) {
      String detail = (run.detailsCode() == null ? run.status() : run.detailsCode())
          + (run.detailsDescription() == null ? "" : ": " + run.detailsDescription());
      Transition t = Transition.of(row.key(), state).from(row.state()).reason(detail);
      if (state == RunState.INACTIVE || state == RunState.FAILED) {
        t.error(detail + fix(run));
      } else {
        t.clearError();
      }
      ledger.apply(t);
      if (state == RunState.INACTIVE) {
        log.warn("{}: run {} waits for a person: {}{}", row.key(), run.runId(), detail, fix(run));
      }
    }
    if (state.isFinal()) {
      next.remove(row.key());
      interval.remove(row.key());
    } else {
      schedule(row.key(), changed);
    }
  }

  private String fix(FlowRun run) {
    String scope = run.isInactive() ? run.consentScope(flowScope) : null;
    String page = "https://app.globus.org/runs/" + run.runId();
    return scope == null ? " (see " + page + ")"
        : "; grant consent with: flowwatch login --scope '" + scope + "', then resume the run at " + page;
  }

  private void schedule(String key, boolean reset) {
    Duration d = reset || !interval.containsKey(key) ? options.firstPoll() : interval.get(key).multipliedBy(2);
    if (d.compareTo(options.maxPoll()) > 0) {
      d = options.maxPoll();
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
    return next.values().stream().min(Instant::compareTo).orElse(Instant.MAX);
  }
}
