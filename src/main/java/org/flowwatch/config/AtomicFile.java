package org.flowwatch.config;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Replaces a file's content all at once: the new content goes to a hidden sibling file, reaches the disk,
 * and is renamed over the target, so a reader (or a crash) sees the old file or the new one, never half of
 * either. Used for the config file, the token file and the registered-functions record.
 */
public final class AtomicFile {
  private AtomicFile() {}

  /**
   * Replaces {@code target} with {@code content}.
   *
   * @param permissions the new file's POSIX permissions, set before any byte is written; null keeps the
   *     temporary file's owner-only default
   * @param check sees the written file before it replaces the target; an exception from it leaves the
   *     target untouched
   */
  public static void replace(Path target, byte[] content, Set<PosixFilePermission> permissions,
      Consumer<Path> check) throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    // createTempFile makes it rw------- on POSIX: nothing is ever readable by others in between.
    Path temp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
    try {
      if (permissions != null) {
        try {
          Files.setPosixFilePermissions(temp, permissions);
        } catch (UnsupportedOperationException e) {
          // Not a POSIX file system: the default permissions will do.
        }
      }
      try (FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
        ByteBuffer buffer = ByteBuffer.wrap(content);
        while (buffer.hasRemaining()) {
          out.write(buffer);
        }
        out.force(true);
      }
      check.accept(temp);
      try {
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
      }
      // The rename is an entry in the directory: until the directory reaches the disk, a crash can
      // bring back the old file (or none) although the new content was forced.
      PrivateFiles.syncDirectory(dir);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /** The POSIX permissions of {@code file}, or null where the file system has none. */
  public static Set<PosixFilePermission> permissionsOf(Path file) throws IOException {
    try {
      return Files.getPosixFilePermissions(file);
    } catch (UnsupportedOperationException e) {
      return null;
    }
  }
}
