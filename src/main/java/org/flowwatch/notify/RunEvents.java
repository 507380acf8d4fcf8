package org.flowwatch.notify;

import java.time.Instant;
import org.flowwatch.ledger.RunRecord;

/**
 * What the agent reports as it works: every transition it applied and every pause of all starts. Called on
 * the agent's thread, so an implementation must return at once and never throw.
 */
public interface RunEvents {

  /** Reports nothing (hand starts, tests, no {@code notify:} section). */
  RunEvents NONE = new RunEvents() {
    @Override
    public void applied(RunRecord row, String reason) {}

    @Override
    public void startsPaused(String why, Instant until, boolean credentials) {}
  };

  /**
   * A transition the ledger applied.
   *
   * @param row the row as written
   * @param reason the transition's reason, or null
   */
  void applied(RunRecord row, String reason);

  /**
   * Every start waits until {@code until}, because of something no single directory can fix.
   *
   * @param why the service's refusal, as the agent logs it
   * @param credentials true when it is missing consent or refused credentials
   */
  void startsPaused(String why, Instant until, boolean credentials);
}
