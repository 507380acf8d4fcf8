package org.flowwatch.run;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * What a run directory tree looks like at one scan: a fingerprint of every entry's relative name, size
 * and modification time, plus the counts readiness needs. Only attributes are read, never contents, so a
 * 2 GB segment costs one stat. Two snapshots with the same fingerprint mean nothing was added, removed,
 * resized or touched in between; comparing them scan to scan never consults the local clock against the
 * file server's.
 *
 * @param fingerprint order-independent hash of (name, size, mtime) of every entry
 * @param files number of regular files
 * @param bytes their total size
 * @param transferTempFiles number of rsync temporary files or partial directories seen
 * @param manifestMatches number of files matching the manifest glob (0 when none was asked for)
 */
public record TreeSnapshot(String fingerprint, long files, long bytes, long transferTempFiles, long manifestMatches) {

  /**
   * rsync writes {@code .name.XXXXXX} beside the final name and renames it when the file is complete;
   * {@code --partial-dir} and {@code --delay-updates} use {@code .rsync-partial} and {@code .~tmp~}.
   */
  private static final Pattern RSYNC_TEMP = Pattern.compile("^\\..+\\.[A-Za-z0-9]{6}$");

  private static final long FNV_PRIME = 0x100000001b3L;

  /**
   * Walks {@code dir} once.
   *
   * @param manifestGlob files to count for the manifest policy, or null
   * @throws RunDirectoryException when the directory is gone or cannot be read
   */
  public static TreeSnapshot take(Path dir, String manifestGlob) {
    Path root = RunFiles.walkStart(dir);
    Predicate<Path> manifest = manifestGlob == null ? null : RunFiles.globMatcher(manifestGlob);
    long[] acc = new long[6]; // sum, xor, files, bytes, temp, manifest
    try {
      Files.walkFileTree(root, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
          if (!d.equals(root)) {
            String name = d.getFileName().toString();
            if (name.equals(".rsync-partial") || name.equals(".~tmp~")) {
              acc[4]++;
            }
            mix(acc, root.relativize(d).toString() + "/", 0, 0);
          }
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
          Path rel = root.relativize(file);
          mix(acc, rel.toString(), attrs.size(), attrs.lastModifiedTime().toMillis());
          if (attrs.isRegularFile()) {
            acc[2]++;
            acc[3] += attrs.size();
            if (RSYNC_TEMP.matcher(file.getFileName().toString()).matches()) {
              acc[4]++;
            }
            if (manifest != null && manifest.test(rel)) {
              acc[5]++;
            }
          }
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
          if (e instanceof NoSuchFileException && !file.equals(root)) {
            // rsync renamed a temporary file while we looked: the tree is changing, which the next
            // snapshot's fingerprint will show anyway.
            mix(acc, "vanished:" + root.relativize(file), 0, 0);
            return FileVisitResult.CONTINUE;
          }
          throw e;
        }
      });
    } catch (NoSuchFileException e) {
      throw new RunDirectoryException("Run directory " + root + " vanished while it was being scanned.", e);
    } catch (IOException e) {
      throw new RunDirectoryException("Cannot scan run directory " + root + ": " + e.getMessage()
          + ". Check that the user running flowwatch can read and enter every directory in it.", e);
    }
    String fingerprint = Long.toHexString(acc[0]) + "-" + Long.toHexString(acc[1]) + "-" + acc[2];
    return new TreeSnapshot(fingerprint, acc[2], acc[3], acc[4], acc[5]);
  }

  /** Adds one entry to the two order-independent accumulators (sum and xor of a 64-bit FNV-1a hash). */
  private static void mix(long[] acc, String name, long size, long mtime) {
    long h = 0xcbf29ce484222325L;
    for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
      h = (h ^ b) * FNV_PRIME;
    }
    h = (h ^ size) * FNV_PRIME;
    h = (h ^ mtime) * FNV_PRIME;
    h ^= h >>> 33;
    acc[0] += h;
    acc[1] ^= h * 0x9E3779B97F4A7C15L;
  }
}
