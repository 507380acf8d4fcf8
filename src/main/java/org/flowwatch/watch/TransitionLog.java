package org.flowwatch.watch;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.flowwatch.globus.AuthenticationException;
import org.flowwatch.globus.ConsentRequiredException;
import org.flowwatch.globus.ForbiddenException;
import org.flowwatch.globus.GlobusException;
import org.flowwatch.globus.MissingCredentialsException;
import org.flowwatch.ledger.Ledger;
import org.flowwatch.ledger.RunRecord;
import org.flowwatch.ledger.RunState;
import org.flowwatch.ledger.Transition;
import org.flowwatch.notify.RunEvents;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies transitions to the ledger and writes one log line per applied transition: run key, state, run
 * id and reason, also as key/value pairs so the JSON log format carries them as fields. Every applied
 * transition, and every pause of all starts, is also reported to the {@link RunEvents} given (notifications).
 */
final class TransitionLog {
  private static final Logger log = LoggerFactory.getLogger("flowwatch.runs");

  /** The states a start pass works through (READY, and STARTING and HELD, which it settles). */
  static final java.util.Set<RunState> DUE = java.util.EnumSet.of(RunState.STARTING, RunState.READY,
      RunState.HELD);

  private final Ledger ledger;
  private final RunEvents events;
  /** How many rows this log has written into a {@link #DUE} state. */
  private long dueWritten;

  TransitionLog(Ledger ledger) {
    this(ledger, RunEvents.NONE);
  }

  TransitionLog(Ledger ledger, RunEvents events) {
    this.ledger = ledger;
    this.events = events == null ? RunEvents.NONE : events;
  }

  /** Every start waits until {@code until} for a reason no single directory can fix; tells {@link RunEvents}. */
  void startsPaused(GlobusException error, Instant until) {
    boolean credentials = error instanceof ConsentRequiredException || error instanceof AuthenticationException
        || error instanceof ForbiddenException || error instanceof MissingCredentialsException;
    events.startsPaused(error.getMessage(), until, credentials);
  }

  /**
   * A start's answer came with a run after its row had moved on (another process settled that start and
   * started the directory again): no transition is written, so this line is the only record of the run.
   */
  void startedAfterRowMovedOn(String key, String runId) {
    log.atWarn()
        .addKeyValue("key", key)
        .addKeyValue("run_id", runId)
        .log("{} started run {}, but its ledger row had moved on meanwhile: the directory may now have two"
            + " runs; see 'flowwatch status {}' and cancel the one not wanted", key, runId, key);
  }

  /** How many rows were written into a {@link #DUE} state through this log: a count that moves or not. */
  long dueWritten() {
    return dueWritten;
  }

  Ledger ledger() {
    return ledger;
  }

  /** Applies one transition; empty when it was conditional and no longer applied. */
  Optional<RunRecord> apply(Transition t) {
    List<RunRecord> done = applyAll(List.of(t));
    return done.isEmpty() ? Optional.empty() : Optional.of(done.get(0));
  }

  /** Applies transitions in one ledger transaction, then logs each that applied. */
  List<RunRecord> applyAll(List<Transition> transitions) {
    if (transitions.isEmpty()) {
      return List.of();
    }
    // By key and state: one transaction may take a key through two states (SEEN, then READY).
    Map<String, String> reasons = new HashMap<>();
    for (Transition t : transitions) {
      if (t.reasonText() != null) {
        reasons.put(t.key() + '\0' + t.to(), t.reasonText());
      }
    }
    List<RunRecord> done = ledger.apply(transitions);
    for (RunRecord r : done) {
      String reason = reasons.get(r.key() + '\0' + r.state());
      log.atLevel(levelOf(r, reason))
          .addKeyValue("key", r.key())
          .addKeyValue("state", r.state().name())
          .addKeyValue("run_id", r.runId() == null ? "" : r.runId())
          .addKeyValue("reason", reason == null ? "" : reason)
          .log("{} {}{}{}", r.key(), r.state(), r.runId() == null ? "" : " run " + r.runId(),
              reason == null ? "" : ": " + reason);
      events.applied(r, reason);
      if (DUE.contains(r.state())) {
        dueWritten++;
      }
    }
    return done;
  }

  /** States a person should look at: each transition into one is a warning, the rest are information. */
  static final java.util.Set<RunState> WARN = java.util.EnumSet.of(RunState.FAILED, RunState.INVALID,
      RunState.INACTIVE, RunState.HELD, RunState.LOST);

  /** WARN for a state a person should look at and for a lost answer (a run that may exist twice); else INFO. */
  static org.slf4j.event.Level levelOf(RunRecord r, String reason) {
    boolean lostAnswer = r.state() == RunState.STARTING && reason != null
        && reason.startsWith(RunStarter.ANSWER_LOST);
    return WARN.contains(r.state()) || lostAnswer ? org.slf4j.event.Level.WARN : org.slf4j.event.Level.INFO;
  }
}
