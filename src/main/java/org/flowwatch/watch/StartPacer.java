package org.flowwatch.watch;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Paces starts: at most N in any sliding minute, and none at all while the service has asked the whole
 * agent to slow down (429 Retry-After, or an error that every start would hit, such as missing consent).
 */
final class StartPacer {
  private final int perMinute;
  private final Deque<Instant> recent = new ArrayDeque<>();
  private Instant pausedUntil = Instant.MIN;

  StartPacer(int perMinute) {
    this.perMinute = perMinute;
  }

  /** Takes a start slot if one is free at {@code now}. */
  boolean tryAcquire(Instant now) {
    if (now.isBefore(pausedUntil)) {
      return false;
    }
    while (!recent.isEmpty() && !recent.peekFirst().isAfter(now.minus(Duration.ofMinutes(1)))) {
      recent.pollFirst();
    }
    if (recent.size() >= perMinute) {
      return false;
    }
    recent.addLast(now);
    return true;
  }

  void pauseUntil(Instant until) {
    if (until.isAfter(pausedUntil)) {
      pausedUntil = until;
    }
  }

  boolean paused(Instant now) {
    return now.isBefore(pausedUntil);
  }

  /** When the next slot frees up, for the loop's sleep. */
  Instant nextSlot(Instant now) {
    Instant free = recent.size() < perMinute || recent.isEmpty() ? now : recent.peekFirst().plus(Duration.ofMinutes(1));
    return free.isAfter(pausedUntil) ? free : pausedUntil;
  }
}
