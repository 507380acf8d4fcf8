package org.flowwatch.watch;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.flowwatch.config.WatchConfig;
import org.flowwatch.ledger.RunRecord;
import org.flowwatch.ledger.RunState;
import org.flowwatch.ledger.Transition;
import org.flowwatch.run.Readiness;
import org.flowwatch.run.RunDirectoryException;
import org.flowwatch.run.TreeSnapshot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Judges whether present run directories are complete, and says so as ledger transitions: SEEN to
 * SETTLING to READY, INVALID back to SETTLING when its tree changed. Settle snapshots go into the ledger
 * row whenever they change, so {@code --once} passes and a restarted agent measure quiet time across
 * processes. While file-system events are trusted, a directory no event touched is not walked again
 * (at most {@link #TRUST_EVENTS_FOR}); it is never declared ready without a fresh walk.
 */
final class ReadinessJudge {
  private static final Logger log = LoggerFactory.getLogger(ReadinessJudge.class);
  /** Events are trusted for at most this long: then every settling tree is walked anyway. */
  static final Duration TRUST_EVENTS_FOR = Duration.ofMinutes(5);
  /** Below this many walks in one pass, walking them one by one costs less than starting the pool. */
  private static final int PARALLEL_FROM = 64;

  private final Readiness readiness;
  private final Clock clock;
  /** Keys events touched since their last look; only meaningful while events are trusted. */
  private final Set<String> touched = new HashSet<>();
  /** When each settling directory was last walked (System.nanoTime). */
  private final Map<String, Long> walked = new HashMap<>();
  private final Set<String> reported = new HashSet<>();
  private boolean eventsLive;
  private boolean eventsLost;

  private final org.flowwatch.ops.IgnoredNames ignored;

  ReadinessJudge(WatchConfig watch, Clock clock) {
    this(watch, clock, new org.flowwatch.ops.IgnoredNames(clock));
  }

  /** @param ignored where a run directory that cannot be read is noted, for status --ignored */
  ReadinessJudge(WatchConfig watch, Clock clock, org.flowwatch.ops.IgnoredNames ignored) {
    this.readiness = new Readiness(watch);
    this.clock = clock;
    this.ignored = ignored;
  }

  /** Whether a file's content changing, not only names coming and going, can change a verdict. */
  boolean readsContent() {
    return readiness.readsContent();
  }

  /** File-system events now wake the agent; untouched directories may be judged without a walk. */
  void eventsLive() {
    eventsLive = true;
  }

  /** Events touched {@code keys}; null when some were lost, so every tree must be walked. */
  void touched(Set<String> keys) {
    if (keys == null) {
      eventsLost = true;
    } else {
      touched.addAll(keys);
    }
  }

  /** Every tree was walked by a full scan: lost events no longer matter. */
  void fullScanDone() {
    eventsLost = false;
  }

  /** Whether the directory's last look can stand in for a walk; the name alone is enough then. */
  boolean trusted(String key) {
    Long last = walked.get(key);
    return eventsLive && !eventsLost && !touched.contains(key) && last != null
        && System.nanoTime() - last < TRUST_EVENTS_FOR.toNanos();
  }

  /** A run directory went away before it was complete. */
  void vanished(String key) {
    if (reported.add("vanished:" + key)) {
      log.info("{}: run directory vanished before it was complete; ignoring it until it comes back", key);
    }
    forget(key);
  }

  /** The transitions the present directories' trees imply, given their rows (present in the ledger). */
  List<Transition> judge(Map<String, Path> present, Map<String, RunRecord> rows) {
    long wall = nanos(clock.instant());
    Map<String, TreeSnapshot> walks = preWalk(present, rows);
    List<Transition> out = new ArrayList<>();
    for (Map.Entry<String, Path> e : present.entrySet()) {
      String key = e.getKey();
      RunRecord row = rows.get(key);
      try {
        Transition t = row == null ? null : judge(row, e.getValue(), wall, walks.get(key));
        ignored.clear(key); // readable, and a directory: whatever was noted of it before no longer holds
        if (t != null) {
          out.add(t);
        }
      } catch (RunDirectoryException ex) {
        ignored.note(key, "cannot be read: " + ex.getMessage());
        if (reported.add("unreadable:" + key)) {
          log.warn("{}: {}", key, ex.getMessage());
        }
      }
      touched.remove(key);
    }
    return out;
  }

  private Transition judge(RunRecord row, Path dir, long wall, TreeSnapshot fresh) {
    String key = row.key();
    switch (row.state()) {
      case SEEN, SETTLING -> {
        if (row.settleDigest() != null && row.settleSince() != null) {
          readiness.restore(key, new Readiness.Settle(row.settleDigest(), nanos(row.settleSince())));
        }
        boolean untouched = fresh == null && trusted(key);
        if (!untouched && fresh == null) {
          walked.put(key, System.nanoTime());
        }
        Readiness.Verdict v = fresh != null ? readiness.evaluate(key, dir, wall, fresh)
            : readiness.evaluate(key, dir, wall, untouched);
        reported.remove("vanished:" + key);
        if (v.ready()) {
          forget(key);
          return Transition.of(key, RunState.READY).from(row.state()).clearSettle().reason(v.reason());
        }
        Transition t = row.state() == RunState.SEEN
            ? Transition.of(key, RunState.SETTLING).from(RunState.SEEN).reason(v.reason()) : null;
        Readiness.Settle settle = readiness.settle(key).orElse(null);
        if (settle != null && !settle.fingerprint().equals(row.settleDigest())) {
          t = (t != null ? t : Transition.of(key, RunState.SETTLING).from(RunState.SETTLING))
              .settle(settle.fingerprint(), instant(settle.sinceNanos()));
        }
        return t;
      }
      case INVALID -> {
        String fingerprint = TreeSnapshot.take(dir, null).fingerprint();
        return fingerprint.equals(row.fingerprint()) ? null
            : Transition.of(key, RunState.SETTLING).from(RunState.INVALID).clearError()
                .reason("the directory changed since it was found invalid; looking again");
      }
      default -> {
        return null;
      }
    }
  }

  /**
   * Walks, on every core, the trees this pass must walk when there are many (a catch-up after start or
   * downtime): the walks are independent, and one thread would leave a core idle while the backlog waits.
   */
  private Map<String, TreeSnapshot> preWalk(Map<String, Path> present, Map<String, RunRecord> rows) {
    List<Map.Entry<String, Path>> due = new ArrayList<>();
    for (Map.Entry<String, Path> e : present.entrySet()) {
      RunRecord row = rows.get(e.getKey());
      if (row != null && (row.state() == RunState.SEEN || row.state() == RunState.SETTLING)
          && !trusted(e.getKey())) {
        due.add(e);
      }
    }
    if (due.size() < PARALLEL_FROM) {
      return Map.of();
    }
    Map<String, TreeSnapshot> out = new ConcurrentHashMap<>();
    due.parallelStream().forEach(e -> {
      try {
        out.put(e.getKey(), readiness.snapshot(e.getValue()));
      } catch (RunDirectoryException ex) {
        // judged again one by one, where the problem is reported
      }
    });
    long now = System.nanoTime();
    for (Map.Entry<String, Path> e : due) {
      walked.put(e.getKey(), now);
    }
    return out;
  }

  private void forget(String key) {
    readiness.forget(key);
    walked.remove(key);
  }

  /** This host's clock as nanoseconds, the unit {@link Readiness} measures quiet time in. */
  static long nanos(Instant t) {
    return t.getEpochSecond() * 1_000_000_000L + t.getNano();
  }

  static Instant instant(long nanos) {
    return Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
  }
}
