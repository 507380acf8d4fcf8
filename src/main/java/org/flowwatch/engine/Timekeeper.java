package org.flowwatch.engine;

import java.time.Duration;
import java.time.Instant;

/** The time a Wait state reads and sleeps on; tests pass one that does not sleep. */
public interface Timekeeper {
  Timekeeper SYSTEM = new Timekeeper() {
    @Override
    public Instant now() {
      return Instant.now();
    }

    @Override
    public void sleep(Duration duration) throws InterruptedException {
      if (!duration.isNegative() && !duration.isZero()) {
        Thread.sleep(duration.toMillis());
      }
    }
  };

  Instant now();

  void sleep(Duration duration) throws InterruptedException;
}
