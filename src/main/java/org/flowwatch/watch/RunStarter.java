package org.flowwatch.watch;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.flowwatch.globus.AuthenticationException;
import org.flowwatch.globus.ConsentRequiredException;
import org.flowwatch.globus.flows.FlowRun;
import org.flowwatch.globus.flows.FlowRuns;
import org.flowwatch.globus.ForbiddenException;
import org.flowwatch.globus.GlobusException;
import org.flowwatch.globus.InvalidRequestException;
import org.flowwatch.globus.NotFoundException;
import org.flowwatch.globus.OutcomeUnknownException;
import org.flowwatch.globus.RateLimitedException;
import org.flowwatch.globus.flows.StartRun;
import org.flowwatch.globus.flows.TriggerToken;
import org.flowwatch.globus.flows.FlowRun;
import org.flowwatch.globus.flows.FlowsClient;
import org.flowwatch.input.InputDocument;
import org.flowwatch.input.SchemaException;
import org.flowwatch.input.TemplateException;
import org.flowwatch.ledger.RunRecord;
import org.flowwatch.ledger.RunState;
import org.flowwatch.ledger.Transition;
import org.flowwatch.run.RunDirectoryException;
import org.flowwatch.run.TreeSnapshot;
import org.flowwatch.watch.StartOutcome.Kind;

/**
 * Starts runs exactly once (design.md, "Exactly once"), for the agent and for hand starts alike: STARTING
 * with a fresh trigger token is on disk before the request; ACTIVE with the run id after the answer;
 * when the answer is lost, the token is looked up at the service before any new attempt.
 */
final class RunStarter {
  private final FlowRuns runs;
  private final TransitionLog ledger;
  private final Clock clock;
  private final Duration startGrace;

  /**
   * @param startGrace how long a start whose answer was lost may take to show up in the service's run
   *     list before it is taken as never created
   */
  RunStarter(FlowRuns runs, TransitionLog ledger, Clock clock, Duration startGrace) {
    this.runs = runs;
    this.ledger = ledger;
    this.clock = clock;
    this.startGrace = startGrace;
  }

  /**
   * Records STARTING and sends the request once.
   *
   * @param from the state the row must still be in, or null for a key the ledger must not have yet
   * @param dir the run directory, fingerprinted if the service refuses its input
   * @param by who asked, for the history: "the agent", "a hand start (--rundir)"
   */
  StartOutcome start(String key, RunState from, StartRun request, Path dir, String by) {
    return start(key, from, request, dir, by, false);
  }

  /** @param again the start may leave a final state: a person asked for the data to go again */
  StartOutcome start(String key, RunState from, StartRun request, Path dir, String by, boolean again) {
    TriggerToken token = TriggerToken.fresh();
    Transition starting = Transition.of(key, RunState.STARTING).startWith(token.value())
        .reason("starting, by " + by + (again ? " (again)" : "") + ", token " + token);
    if (again) {
      starting.again();
    }
    Optional<RunRecord> row = ledger.apply(from == null ? starting.onlyIfNew() : starting.from(from));
    if (row.isEmpty()) {
      return StartOutcome.of(Kind.MOVED, null);
    }
    String attempt = "attempt " + row.get().attempts();
    Instant now = clock.instant();
    try {
      FlowRun run = runs.start(request, token);
      RunRecord active = ledger.apply(Transition.of(key, RunState.ACTIVE).from(RunState.STARTING)
          .runId(run.runId().toString()).clearError()
          .reason("started by " + by + " as '" + token.label(request.label()) + "', " + attempt)).orElse(null);
      return new StartOutcome(Kind.STARTED, active, run, null, null);
    } catch (OutcomeUnknownException e) {
      // The run may exist. Leave it STARTING: the next look asks for the token before anything else.
      RunRecord lost = ledger.apply(Transition.of(key, RunState.STARTING).from(RunState.STARTING)
          .error(e.getMessage()).notBefore(now.plusSeconds(5))
          .reason("answer lost; will look for token " + token)).orElse(null);
      return new StartOutcome(Kind.ANSWER_LOST, lost, null, e, null);
    } catch (InvalidRequestException e) {
      if (!e.isFlowInputError()) {
        // Not this directory's input (a 422 on the tags/label, or the token endpoint refusing the scope):
        // every start would be refused the same way, so pause them all and mark no directory.
        Instant until = now.plus(backoff(row.get().attempts()));
        return notStarted(key, e, until, until);
      }
      RunRecord invalid = ledger.apply(Transition.of(key, RunState.INVALID).from(RunState.STARTING)
          .error("Globus rejected the input: " + e.getMessage()).fingerprint(fingerprint(dir))
          .reason("Globus rejected the input document")).orElse(null);
      return new StartOutcome(Kind.REJECTED, invalid, null, e, null);
    } catch (RateLimitedException e) {
      Instant until = now.plus(e.retryAfter().orElse(Duration.ofSeconds(30)));
      return notStarted(key, e, until, until);
    } catch (ConsentRequiredException | AuthenticationException | ForbiddenException | NotFoundException e) {
      // Every start would fail the same way: pause them all until a person fixes it.
      Instant until = now.plus(backoff(row.get().attempts()));
      return notStarted(key, e, until, until);
    } catch (GlobusException e) {
      return notStarted(key, e, now.plus(backoff(row.get().attempts())), null);
    }
  }

  /**
   * Settles a STARTING row whose outcome is unknown (lost answer, crash, kill -9, a stop mid-call): the
   * run found by its token makes it ACTIVE; no run after the grace period means none was created, so it
   * is READY again.
   */
  StartOutcome reconcile(RunRecord row) {
    if (row.token() == null) {
      return StartOutcome.of(Kind.NOT_STARTED, ledger.apply(Transition.of(row.key(), RunState.READY)
          .from(RunState.STARTING).reason("no token; start again")).orElse(null));
    }
    TriggerToken token = new TriggerToken(row.token());
    Instant now = clock.instant();
    Optional<FlowRun> found;
    try {
      found = runs.findByToken(token);
    } catch (RateLimitedException e) {
      return new StartOutcome(Kind.LOOKING, row, null, e, now.plus(e.retryAfter().orElse(Duration.ofSeconds(30))));
    } catch (GlobusException e) {
      RunRecord waiting = ledger.apply(Transition.of(row.key(), RunState.STARTING).from(RunState.STARTING)
          .error("cannot look up token " + token + ": " + e.getMessage())
          .notBefore(now.plus(Duration.ofSeconds(30)))).orElse(row);
      return new StartOutcome(Kind.LOOKING, waiting, null, e, null);
    }
    if (found.isPresent()) {
      RunRecord active = ledger.apply(Transition.of(row.key(), RunState.ACTIVE).from(RunState.STARTING)
          .runId(found.get().runId().toString()).clearError()
          .reason("found the run started with token " + token)).orElse(null);
      return new StartOutcome(active == null ? Kind.MOVED : Kind.STARTED, active, found.get(), null, null);
    }
    Instant settled = row.updatedAt().plus(startGrace);
    if (now.isBefore(settled)) {
      RunRecord waiting = ledger.apply(Transition.of(row.key(), RunState.STARTING).from(RunState.STARTING)
          .notBefore(settled)).orElse(row);
      return StartOutcome.of(Kind.LOOKING, waiting);
    }
    return StartOutcome.of(Kind.NOT_STARTED, ledger.apply(Transition.of(row.key(), RunState.READY)
        .from(RunState.STARTING).reason("no run carries token " + token + "; it was never created, so start"
            + " again")).orElse(null));
  }

  private StartOutcome notStarted(String key, GlobusException e, Instant retryAt, Instant pauseUntil) {
    RunRecord ready = ledger.apply(Transition.of(key, RunState.READY).from(RunState.STARTING).error(e.getMessage())
        .notBefore(retryAt).reason("not started (" + kind(e) + "); next try at " + retryAt)).orElse(null);
    return new StartOutcome(Kind.NOT_STARTED, ready, null, e, pauseUntil);
  }

  /** The fingerprint an INVALID row keeps, so it is looked at again when the directory changes. */
  static String fingerprint(Path dir) {
    try {
      return TreeSnapshot.take(dir, null).fingerprint();
    } catch (RunDirectoryException e) {
      return "gone";
    }
  }

  /** A few words for the history line; the message itself is in last_error. */
  private static String kind(GlobusException e) {
    if (e instanceof RateLimitedException) {
      return "rate limited";
    }
    if (e instanceof ConsentRequiredException) {
      return "consent needed";
    }
    if (e instanceof AuthenticationException) {
      return "credentials refused";
    }
    if (e instanceof ForbiddenException) {
      return "forbidden";
    }
    if (e instanceof NotFoundException) {
      return "flow not found";
    }
    if (e instanceof InvalidRequestException i && i.status() == 422) {
      return "the Flows service refused the run's tags/label: " + i.reason();
    }
    if (e instanceof InvalidRequestException) {
      return "request refused";
    }
    return "service unavailable";
  }

  /** 30 s, doubling per attempt, at most 30 minutes. */
  static Duration backoff(int attempt) {
    long seconds = 30L << Math.min(Math.max(attempt - 1, 0), 6);
    return Duration.ofSeconds(Math.min(seconds, 1800));
  }
}
