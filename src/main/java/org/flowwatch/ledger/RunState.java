package org.flowwatch.ledger;

import java.util.EnumSet;
import java.util.Set;

/** Where a run directory is on its way from first sight to a finished flow run. */
public enum RunState {
  /** Noticed; not evaluated yet. */
  SEEN,
  /** Being watched until the readiness policies hold. */
  SETTLING,
  /** Complete; queued for a start. */
  READY,
  /** Its input document breaks the flow's schema; waits for the directory to change or a retry. */
  INVALID,
  /** Ready, but held back by something outside it (a Compute endpoint offline). */
  HELD,
  /** A start was requested with the row's trigger token; the outcome is not known yet. */
  STARTING,
  /** The flow run exists and is running. */
  ACTIVE,
  /** The flow run is paused on something a person must fix (consent, session). */
  INACTIVE,
  /**
   * The service stopped showing the run (a 404 on its status): another identity, another service URL, or
   * a deleted run. Not final: the run may still be going, so the agent keeps looking, slowly.
   */
  LOST,
  SUCCEEDED,
  FAILED,
  /** Cancelled at the service (the run's status ENDED). */
  ENDED;

  /** States only {@code retry} may leave. */
  public static final Set<RunState> FINAL = EnumSet.of(SUCCEEDED, FAILED, ENDED);

  /** States whose flow run exists (or may exist) at the service: they count against max_active_runs. */
  public static final Set<RunState> IN_FLIGHT = EnumSet.of(STARTING, ACTIVE, INACTIVE, LOST);

  /** States whose run the agent follows at the service. */
  public static final Set<RunState> FOLLOWED = EnumSet.of(ACTIVE, INACTIVE, LOST);

  /** States in which a hand start would start the same data a second time. */
  public static final Set<RunState> STARTED = EnumSet.of(STARTING, ACTIVE, INACTIVE, LOST, SUCCEEDED);

  public boolean isFinal() {
    return FINAL.contains(this);
  }
}
