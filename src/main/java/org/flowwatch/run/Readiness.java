package org.flowwatch.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.flowwatch.config.WatchConfig;

/**
 * Decides whether a run directory is completely written, by the configured policies (all must hold):
 * <ul>
 *   <li>settle: the tree's snapshot is unchanged across scans spanning at least the trigger delay,
 *       measured on this host's monotonic clock between our own scans, never as now minus a file's mtime;
 *   <li>sentinel: a named file or directory exists inside the run directory;
 *   <li>manifest: at least N files match a glob.
 * </ul>
 * rsync temporary files or partial directories always mean "not ready". Keeps the last snapshot of each
 * directory between calls; callers that outlive a process (the ledger) save it with {@link #settle} and
 * give it back with {@link #restore}. Times are nanoseconds on this host's clock, taken by the caller at
 * each scan. Not thread-safe (the agent loop owns it).
 */
public final class Readiness {
  private static final String SENTINEL_MISSING = "sentinel %s not there yet";

  private final WatchConfig watch;
  private final Map<String, Seen> seen = new HashMap<>();
  /** Whether the sentinel was there at the last real look, for evaluations that trust events. */
  private final Map<String, Boolean> sentinelSeen = new HashMap<>();

  private record Seen(TreeSnapshot snapshot, long stableSinceNanos) {}

  /**
   * What settle remembers of a directory: the fingerprint of its tree and since when this host has seen it
   * unchanged.
   */
  public record Settle(String fingerprint, long sinceNanos) {}

  /** The outcome of one evaluation; {@code reason} says what is still missing when not ready. */
  public record Verdict(boolean ready, String reason, TreeSnapshot snapshot) {}

  public Readiness(WatchConfig watch) {
    this.watch = watch;
  }

  /**
   * Snapshots {@code dir} and applies the policies.
   *
   * @param key the run directory's key, under which its last snapshot is kept
   * @param nowNanos {@link System#nanoTime()} of this scan
   * @throws RunDirectoryException when the directory vanished or cannot be read
   */
  public Verdict evaluate(String key, Path dir, long nowNanos) {
    return evaluate(key, dir, nowNanos, snapshot(dir));
  }

  /**
   * Like {@link #evaluate(String, Path, long)}, but when {@code untouched} (the caller's file-system events
   * say nothing changed in the directory since its last snapshot) the last snapshot is reused instead of
   * walking the tree again. A directory is never declared ready on a reused snapshot: when every policy
   * would hold, the tree is walked once more and must still match. A directory whose sentinel is not
   * there is not walked at all (its verdict has no snapshot) unless settle needs every look: no walk
   * could make it ready.
   */
  public Verdict evaluate(String key, Path dir, long nowNanos, boolean untouched) {
    if (watch.uses("sentinel") && !readsContent() && sentinelSurelyAbsent(dir)) {
      sentinelSeen.put(key, false);
      return new Verdict(false, SENTINEL_MISSING.formatted(watch.sentinel()), null);
    }
    Seen before = seen.get(key);
    if (untouched && before != null && sentinelSeen.containsKey(key)) {
      // Nothing was touched: the last look stands, with no file-system access at all.
      Verdict assumed = judge(key, before.snapshot(), sentinelSeen.get(key), nowNanos);
      if (!assumed.ready()) {
        return assumed;
      }
    }
    return evaluate(key, dir, nowNanos, snapshot(dir));
  }

  /**
   * Whether a file's content changing (its size, its time), not only names coming and going, can change
   * a verdict: settle alone looks at them; sentinels, manifests and rsync's temporary names are names.
   */
  public boolean readsContent() {
    return watch.uses("settle");
  }

  /** A fresh snapshot of {@code dir} as readiness needs it; thread-safe, so callers may take many at once. */
  public TreeSnapshot snapshot(Path dir) {
    return TreeSnapshot.take(dir, watch.uses("manifest") ? watch.manifestGlob() : null);
  }

  /** Applies the policies to a snapshot the caller has just taken with {@link #snapshot}. */
  public Verdict evaluate(String key, Path dir, long nowNanos, TreeSnapshot snap) {
    boolean sentinel = watch.uses("sentinel") && sentinelPresent(dir);
    sentinelSeen.put(key, sentinel);
    return judge(key, snap, sentinel, nowNanos);
  }

  private boolean sentinelPresent(Path dir) {
    return Files.exists(dir.resolve(watch.sentinel()), LinkOption.NOFOLLOW_LINKS);
  }

  /**
   * True only when the sentinel is missing from a directory this user can read; anything else (the
   * directory gone or unreadable) is left to the walk, which says what is wrong.
   */
  private boolean sentinelSurelyAbsent(Path dir) {
    try {
      Files.readAttributes(dir.resolve(watch.sentinel()), BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      return false;
    } catch (NoSuchFileException e) {
      return Files.isReadable(dir);
    } catch (IOException e) {
      return false;
    }
  }

  private Verdict judge(String key, TreeSnapshot snap, boolean sentinelPresent, long nowNanos) {
    List<String> missing = new ArrayList<>();
    if (snap.transferTempFiles() > 0) {
      missing.add(snap.transferTempFiles() + " rsync temporary file(s) present");
    }
    if (watch.uses("sentinel") && !sentinelPresent) {
      missing.add(SENTINEL_MISSING.formatted(watch.sentinel()));
    }
    if (watch.uses("manifest") && snap.manifestMatches() < watch.manifestCount()) {
      missing.add(snap.manifestMatches() + " of " + watch.manifestCount() + " files matching "
          + watch.manifestGlob());
    }
    if (watch.uses("settle")) {
      String settle = settle(key, snap, nowNanos);
      if (settle != null) {
        missing.add(settle);
      }
    }
    return new Verdict(missing.isEmpty(), missing.isEmpty() ? "complete" : String.join("; ", missing), snap);
  }

  private String settle(String key, TreeSnapshot snap, long nowNanos) {
    Seen before = seen.get(key);
    if (before == null || !before.snapshot().fingerprint().equals(snap.fingerprint())) {
      seen.put(key, new Seen(snap, nowNanos));
      return before == null ? "first look" : "still changing";
    }
    if (snap.files() == 0) {
      return "no files yet";
    }
    Duration quiet = Duration.ofNanos(nowNanos - before.stableSinceNanos());
    if (quiet.compareTo(watch.triggerDelay()) < 0 || quiet.isZero()) {
      return "unchanged for " + quiet.toSeconds() + "s of " + watch.triggerDelay().toSeconds() + "s";
    }
    return null;
  }

  /** What settle remembers of {@code key}, if anything. */
  public java.util.Optional<Settle> settle(String key) {
    Seen s = seen.get(key);
    return s == null ? java.util.Optional.empty()
        : java.util.Optional.of(new Settle(s.snapshot().fingerprint(), s.stableSinceNanos()));
  }

  /**
   * Gives settle back what an earlier process saw ({@link #settle}), unless this one has looked itself.
   * The snapshot's counts are not kept: only the fingerprint and the time matter for settle.
   */
  public void restore(String key, Settle settle) {
    seen.putIfAbsent(key, new Seen(new TreeSnapshot(settle.fingerprint(), -1, -1, 0, 0), settle.sinceNanos()));
  }

  /** Drops what is kept about a directory (it started, vanished, or was judged). */
  public void forget(String key) {
    seen.remove(key);
    sentinelSeen.remove(key);
  }
}
