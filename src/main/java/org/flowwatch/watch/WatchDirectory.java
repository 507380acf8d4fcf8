package org.flowwatch.watch;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The run directories directly inside a watch directory: entries whose whole name matches the pattern and
 * that are directories. Symbolic links leading outside the watch directory, broken links and
 * non-directories are ignored, each with one log line (not one per scan).
 */
public final class WatchDirectory {
  private static final Logger log = LoggerFactory.getLogger(WatchDirectory.class);

  private final Path root;
  private final Path realRoot;
  private final Pattern pattern;
  private final Set<String> reported = new HashSet<>();

  public WatchDirectory(Path root, Pattern pattern) {
    this.root = root.toAbsolutePath().normalize();
    Path real;
    try {
      real = this.root.toRealPath();
    } catch (IOException e) {
      real = this.root;
    }
    this.realRoot = real;
    this.pattern = pattern;
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
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(root)) {
      for (Path p : entries) {
        String key = p.getFileName().toString();
        if (pattern.matcher(key).matches()) {
          out.put(key, p);
        }
      }
    } catch (IOException e) {
      log.error("cannot list the watch directory {}: {}; will try again", root, e.toString());
    }
    return out;
  }

  /** The run directories present now, by key (their name), in listing order. */
  public Map<String, Path> runDirectories() {
    Map<String, Path> out = new LinkedHashMap<>();
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
    if (Files.isSymbolicLink(p)) {
      try {
        Path target = p.toRealPath();
        if (!target.startsWith(realRoot)) {
          note(key, "is a symbolic link to " + target + ", outside the watch directory; ignored");
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
    if (reported.add(key + " " + what)) {
      log.info("{} {}", key, what);
    }
  }
}
