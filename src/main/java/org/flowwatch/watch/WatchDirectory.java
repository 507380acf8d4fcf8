package org.flowwatch.watch;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The run directories directly inside a watch directory: entries whose whole name matches the pattern and
 * that are directories. Symbolic links leading outside the watch directory, broken links and
 * non-directories are ignored, each with one WARN line (not one per scan). Paths are judged by their real
 * path: a link must lead inside the watch directory and inside a collection's local root, and a watch
 * directory whose real path changed while the agent runs (swapped for a link) yields nothing.
 */
public final class WatchDirectory {
  private static final Logger log = LoggerFactory.getLogger(WatchDirectory.class);

  private final Path root;
  private final Path realRoot;
  private final Pattern pattern;
  private final Set<String> reported = new HashSet<>();
  private final org.flowwatch.ops.IgnoredNames ignored;
  /** Collection local roots (as written and real) a link's target must lie in; empty: not checked. */
  private final List<Path> collectionRoots;
  private boolean swapped;
  /** The root's mtime read just before the last listing, and when that listing began. */
  private FileTime listedMtime;
  private Instant listedAt;
  private long listings;

  public WatchDirectory(Path root, Pattern pattern) {
    this(root, pattern, List.of());
  }

  /** @param collectionRoots the collections' local roots; a link whose target is in none is ignored */
  public WatchDirectory(Path root, Pattern pattern, List<Path> collectionRoots) {
    this(root, pattern, collectionRoots, new org.flowwatch.ops.IgnoredNames(java.time.Clock.systemUTC()));
  }

  /** @param ignored where every name seen and not taken as a run directory is noted, with why */
  public WatchDirectory(Path root, Pattern pattern, List<Path> collectionRoots,
      org.flowwatch.ops.IgnoredNames ignored) {
    this.ignored = ignored;
    this.root = root.toAbsolutePath().normalize();
    Path real;
    try {
      real = this.root.toRealPath();
    } catch (IOException e) {
      real = this.root;
    }
    this.realRoot = real;
    this.pattern = pattern;
    List<Path> roots = new ArrayList<>();
    for (Path c : collectionRoots) {
      roots.add(c);
      try {
        roots.add(c.toRealPath());
      } catch (IOException e) {
        // not there now: only the path as written can contain a target
      }
    }
    this.collectionRoots = List.copyOf(roots);
  }

  /**
   * Whether the watch directory still is the directory it was when the agent started: the same real
   * path. A root swapped for a link to elsewhere (or moved away) must not have its new target's
   * directories started; says so once when it changes and once when it is back.
   */
  public synchronized boolean intact() {
    Path now;
    try {
      now = root.toRealPath();
    } catch (IOException e) {
      now = null;
    }
    boolean same = realRoot.equals(now);
    if (!same && !swapped) {
      log.warn("the watch directory {} {}; starting nothing from it until it leads to {} again", root,
          now == null ? "is gone" : "now leads to " + now, realRoot);
    } else if (same && swapped) {
      log.info("the watch directory {} leads to {} again; watching it", root, realRoot);
    }
    swapped = !same;
    return same;
  }

  public Path root() {
    return root;
  }

  /**
   * The names in the watch directory that match the pattern, without looking at what they are: one
   * directory read, no stat per entry. {@link #accept} tells whether a name is a usable run directory.
   */
  public Map<String, Path> matchingNames() {
    Map<String, Path> out = new LinkedHashMap<>();
    if (!intact()) {
      return out;
    }
    listings++;
    listedMtime = mtime();
    listedAt = Instant.now();
    Set<String> names = new HashSet<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(root)) {
      for (Path p : entries) {
        String key = p.getFileName().toString();
        names.add(key);
        if (pattern.matcher(key).matches()) {
          out.put(key, p);
        } else if (ignored.note(key, "does not match the run directory pattern " + pattern.pattern())) {
          log.info("{} does not match the run directory pattern {}; ignored", key, pattern.pattern());
        }
      }
      ignored.listed(names);
    } catch (IOException e) {
      log.error("cannot list the watch directory {}: {}; will try again", root, e.toString());
    }
    return out;
  }

  /**
   * Whether no name can have been added to or removed from the watch directory since the last
   * {@link #matchingNames}: its mtime is what it was then, and was already {@link #RACY} old at that
   * listing (a change in the same clock tick as the listing would otherwise leave the mtime as it was).
   */
  public boolean unchangedSinceListing() {
    FileTime now = mtime();
    return listedMtime != null && now != null && now.equals(listedMtime)
        && listedAt.isAfter(listedMtime.toInstant().plus(RACY));
  }

  /** How far a listing must come after the directory's last change for its mtime to prove no later one. */
  static final Duration RACY = Duration.ofSeconds(2);

  /** How many times the watch directory has been listed. */
  public long listings() {
    return listings;
  }

  private FileTime mtime() {
    try {
      return Files.getLastModifiedTime(root);
    } catch (IOException e) {
      return null;
    }
  }

  /** The run directories present now, by key (their name), in listing order. */
  public Map<String, Path> runDirectories() {
    Map<String, Path> out = new LinkedHashMap<>();
    if (!intact()) {
      return out;
    }
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(root)) {
      for (Path p : entries) {
        String key = p.getFileName().toString();
        if (accept(key, p)) {
          out.put(key, p);
        }
      }
    } catch (IOException e) {
      log.error("cannot list the watch directory {}: {}; will try again", root, e.toString());
    }
    return out;
  }

  /** True when {@code key} names a run directory present now. */
  public boolean accept(String key, Path p) {
    if (!pattern.matcher(key).matches()) {
      return false;
    }
    if (!p.startsWith(root) || !intact()) {
      return false;
    }
    if (Files.isSymbolicLink(p)) {
      try {
        Path target = p.toRealPath();
        if (!target.startsWith(realRoot)) {
          note(key, "is a symbolic link to " + target + ", outside the watch directory " + realRoot + "; ignored");
          return false;
        }
        if (!collectionRoots.isEmpty() && collectionRoots.stream().noneMatch(target::startsWith)) {
          note(key, "is a symbolic link to " + target + ", outside the local_root of every collection; ignored");
          return false;
        }
      } catch (IOException e) {
        note(key, "is a broken symbolic link; ignored");
        return false;
      }
    }
    if (!Files.isDirectory(p)) {
      if (Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
        note(key, "matches the run directory pattern but is not a directory; ignored");
      }
      return false;
    }
    return true;
  }

  private void note(String key, String what) {
    ignored.note(key, what.replaceFirst("; ignored$", ""));
    if (reported.add(key + " " + what)) {
      log.warn("{} {}", key, what);
    }
  }
}
