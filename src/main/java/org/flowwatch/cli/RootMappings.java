package org.flowwatch.cli;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The {@code --root COLLECTION_ID=DIR} options of run-flow, checked: each DIR exists and is a directory. */
final class RootMappings {
  private RootMappings() {}

  /**
   * Collection id (or config name) to its directory, in the order given; a later option for the same
   * collection wins.
   *
   * @throws UsageException naming the option that is not {@code ID=DIR}, or whose DIR is not a directory
   */
  static Map<String, Path> parse(List<String> options) {
    Map<String, Path> roots = new LinkedHashMap<>();
    for (String option : options) {
      int eq = option.indexOf('=');
      if (eq <= 0 || eq == option.length() - 1) {
        throw new UsageException("--root " + option + ": expected COLLECTION_ID=DIR, the collection's id and the"
            + " local directory that holds its / (e.g. --root 9d6d994a-6d04-11e5-ba46-22000b92c6ec=/tmp/nersc)");
      }
      String id = option.substring(0, eq).trim();
      String dir = option.substring(eq + 1);
      Path path;
      try {
        path = Path.of(dir).toAbsolutePath().normalize();
      } catch (InvalidPathException e) {
        throw new UsageException("--root " + option + ": '" + dir + "' is not a usable path: " + e.getReason());
      }
      if (!Files.isDirectory(path)) {
        throw new UsageException("--root " + option + ": " + path + (Files.exists(path) ? " is not a directory"
            : " does not exist") + "; give the directory that holds the collection's files (make it first)");
      }
      roots.put(id, path);
    }
    return roots;
  }
}
