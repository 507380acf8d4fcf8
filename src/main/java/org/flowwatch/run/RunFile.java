package org.flowwatch.run;

import java.nio.file.attribute.FileTime;
import java.util.Objects;

/**
 * One regular file inside a run directory, as seen by its attributes (contents are never read).
 *
 * @param path the path relative to the run directory, with '/' separators
 * @param size the size in bytes
 * @param lastModified the modification time reported by the file system (readiness compares it scan to
 *     scan, never to the local clock)
 */
public record RunFile(String path, long size, FileTime lastModified) {
  public RunFile {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(lastModified, "lastModified");
    if (size < 0) {
      throw new IllegalArgumentException("size must not be negative, got " + size);
    }
  }
}
