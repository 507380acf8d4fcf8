package org.flowwatch.watch;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.flowwatch.globus.GlobusException;
import org.flowwatch.globus.flows.FlowRun;
import org.flowwatch.globus.flows.FlowRuns;
import org.flowwatch.ledger.Ledger;
import org.flowwatch.ledger.RunRecord;
import org.flowwatch.ledger.RunState;
import org.flowwatch.ledger.Transition;

/**
 * A person's resume or cancel of one ledger row's flow run: checked against the ledger, sent through the
 * {@link FlowRuns} port, and recorded in the row's history with what the service answered.
 *
 * <p>The ledger write is conditional on the state read before the request: an agent polling the same run
 * may have recorded a newer state meanwhile, and that state is kept rather than overwritten.
 */
public final class RunControl {

  /** What was asked for. */
  public enum Action {
    RESUME(EnumSet.of(RunState.INACTIVE), "resumed by hand"),
    CANCEL(EnumSet.of(RunState.ACTIVE, RunState.INACTIVE), "cancelled by hand");

    private final Set<RunState> from;
    private final String reason;

    Action(Set<RunState> from, String reason) {
      this.from = from;
      this.reason = reason;
    }

    /** The ledger states whose run this action may be sent for. */
    public Set<RunState> from() {
      return EnumSet.copyOf(from);
    }

    String word() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** How one key went. */
  public enum Outcome {
    /** Sent and recorded. */
    DONE,
    /** Sent, but the agent had already moved the row on; its state was kept. */
    SENT_ROW_MOVED,
    /** Not in the ledger; nothing sent. */
    UNKNOWN_KEY,
    /** The row is in a state this action does not apply to; nothing sent. */
    WRONG_STATE
  }

  /**
   * @param key the ledger key
   * @param outcome how it went
   * @param before the row's state before (null for an unknown key)
   * @param after the state recorded (or the row's current one when it moved on); null when nothing was sent
   * @param run what the service answered; null when nothing was sent
   * @param message one line for a person: what happened, or why nothing was done and what to do
   */
  public record Result(String key, Outcome outcome, RunState before, RunState after, FlowRun run, String message) {
    public Result {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(outcome, "outcome");
      Objects.requireNonNull(message, "message");
    }

    /** True when the request reached the service and was accepted. */
    public boolean sent() {
      return outcome == Outcome.DONE || outcome == Outcome.SENT_ROW_MOVED;
    }
  }

  private final Ledger ledger;
  private final FlowRuns runs;

  public RunControl(Ledger ledger, FlowRuns runs) {
    this.ledger = Objects.requireNonNull(ledger, "ledger");
    this.runs = Objects.requireNonNull(runs, "runs");
  }

  /**
   * Sends {@code action} for the run of {@code key} when the ledger allows it.
   *
   * @throws GlobusException when the service refused or could not be reached; the ledger is unchanged
   */
  public Result apply(Action action, String key) {
    Optional<RunRecord> found = ledger.get(key);
    if (found.isEmpty()) {
      return new Result(key, Outcome.UNKNOWN_KEY, null, null, null,
          key + " is not in the ledger; 'flowwatch status' lists the keys (and --state-dir must be the agent's)");
    }
    RunRecord row = found.get();
    if (!action.from.contains(row.state()) || row.runId() == null) {
      return new Result(key, Outcome.WRONG_STATE, row.state(), null, null, refusal(action, row));
    }
    FlowRun answer = action == Action.RESUME ? runs.resume(UUID.fromString(row.runId()))
        : runs.cancel(UUID.fromString(row.runId()));
    RunState to = action == Action.CANCEL ? RunState.ENDED : RunPoller.stateOf(answer);
    String said = answer.status() + (answer.detailsCode() == null ? "" : " (" + answer.detailsCode() + ")");
    String reason = action.reason + "; the service answered " + said;
    Transition t = Transition.of(key, to).from(row.state()).reason(reason);
    if (to == RunState.ACTIVE || to == RunState.ENDED) {
      t.clearError();
    }
    Optional<RunRecord> written = ledger.apply(t);
    if (written.isEmpty()) {
      RunState now = ledger.get(key).map(RunRecord::state).orElse(null);
      return new Result(key, Outcome.SENT_ROW_MOVED, row.state(), now, answer, key + ": " + action.word()
          + " sent for run " + row.runId() + " (the service answered " + said + "), but the agent had meanwhile"
          + " recorded it " + now + "; that state is kept and the agent's next poll brings it up to date");
    }
    return new Result(key, Outcome.DONE, row.state(), to, answer,
        key + ": " + row.state() + " -> " + to + "  run " + row.runId() + " " + action.reason + " (the service"
            + " answered " + said + ")");
  }

  private static String refusal(Action action, RunRecord row) {
    String what = row.key() + " is " + row.state() + (row.runId() == null ? " with no flow run" : " (run "
        + row.runId() + ")") + "; only a run in " + action.from + " can be " + action.reason.replace(" by hand", "");
    if (action == Action.RESUME && row.state() == RunState.ACTIVE) {
      return what + ". If the service shows it INACTIVE, the agent records that at its next poll; resume then";
    }
    if (row.state().isFinal()) {
      return what + ". It has ended; 'flowwatch retry " + row.key() + "' queues the directory for a new run";
    }
    if (row.state() == RunState.LOST) {
      return what + ". The service does not show this run to this identity ('flowwatch status " + row.key()
          + "' says why); see " + FlowRun.page(row.runId());
    }
    return what;
  }
}
