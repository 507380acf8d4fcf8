package org.flowwatch.watch;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * What woke the agent's loop: run keys that file-system events touched, lost events, a reload (SIGHUP),
 * or a bare nudge (a stop). Safe to feed from any thread; only the loop takes from it.
 */
final class WakeUps {
  private static final String LOST = "\u0000lost";
  private static final String NUDGE = "\u0000nudge";
  private static final String RELOAD = "\u0000reload";

  private final LinkedBlockingQueue<String> queue = new LinkedBlockingQueue<>();

  /** What was taken at once: the keys, and whether events were lost or a reload was asked for. */
  record Batch(Set<String> keys, boolean lost, boolean reload) {}

  /** An event touched {@code key}; {@code ""} means events were lost, so everything must be looked at. */
  void touched(String key) {
    queue.offer(key.isEmpty() ? LOST : key);
  }

  void nudge() {
    queue.offer(NUDGE);
  }

  void reload() {
    queue.offer(RELOAD);
  }

  /** Everything queued now, without waiting. */
  Batch drain() {
    Set<String> keys = new HashSet<>();
    boolean lost = false;
    boolean reload = false;
    for (String k; (k = queue.poll()) != null; ) {
      switch (k) {
        case LOST -> lost = true;
        case RELOAD -> reload = true;
        case NUDGE -> { }
        default -> keys.add(k);
      }
    }
    return new Batch(keys, lost, reload);
  }

  /** Waits up to {@code millis} for something to arrive; leaves it queued for {@link #drain}. */
  void await(long millis) throws InterruptedException {
    String first = queue.poll(millis, TimeUnit.MILLISECONDS);
    if (first != null) {
      queue.offer(first);
    }
  }
}
