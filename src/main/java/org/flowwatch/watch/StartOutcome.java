package org.flowwatch.watch;

import java.time.Instant;
import org.flowwatch.globus.flows.FlowRun;
import org.flowwatch.globus.GlobusException;
import org.flowwatch.ledger.RunRecord;

/**
 * What one start (or one reconcile of a lost answer) came to, so callers act on it without reading the
 * ledger back.
 *
 * @param kind what happened
 * @param row the row as written, or null when nothing was written
 * @param run the flow run, for {@link Kind#STARTED}
 * @param error the service's refusal, for {@link Kind#NOT_STARTED} and {@link Kind#REJECTED}
 * @param pauseUntil when every start must wait (rate limit, credentials), or null
 */
public record StartOutcome(Kind kind, RunRecord row, FlowRun run, GlobusException error, Instant pauseUntil) {

  public enum Kind {
    /** The run exists: started now, or found by its token. */
    STARTED,
    /** The request may have created a run; the row stays STARTING with its token. */
    ANSWER_LOST,
    /** Within the grace period of a lost answer: look again later. */
    LOOKING,
    /** Certainly not started; the row is READY again (with a backoff). */
    NOT_STARTED,
    /** The service refused this run's input: INVALID. */
    REJECTED,
    /** The row was no longer in the state this start expected (another start or a retry won). */
    MOVED
  }

  static StartOutcome of(Kind kind, RunRecord row) {
    return new StartOutcome(kind, row, null, null, null);
  }
}
