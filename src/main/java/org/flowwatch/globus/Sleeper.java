package org.flowwatch.globus;

import java.time.Duration;

/** Waits between retries; tests pass one that records the wait instead of sleeping. */
@FunctionalInterface
public interface Sleeper {

  /** The real thing. */
  Sleeper SYSTEM = duration -> Thread.sleep(duration.toMillis());

  void sleep(Duration duration) throws InterruptedException;
}
