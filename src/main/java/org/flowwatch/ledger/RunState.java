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
  SUCCEEDED,
  FAILED;

  /** States only {@code retry} may leave. */
  public static final Set<RunState> FINAL = EnumSet.of(SUCCEEDED, FAILED);

  /** States whose flow run exists (or may exist) at the service: they count against max_active_runs. */
  public static final Set<RunState> IN_FLIGHT = EnumSet.of(STARTING, ACTIVE, INACTIVE);

  public boolean isFinal() {
    return FINAL.contains(this);
  }
}
