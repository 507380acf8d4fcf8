package org.flowwatch.config;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Directories and files only their owner may read: the state directory (0700) and what flowwatch keeps
 * in it (0600). Modes are given when a file is made, which the umask can only narrow, and set again on
 * files that exist with a wider one, so no umask, however permissive, exposes a ledger, a lock or a log.
 */
public final class PrivateFiles {
  public static final Set<PosixFilePermission> OWNER_DIR = PosixFilePermissions.fromString("rwx------");
  public static final Set<PosixFilePermission> OWNER_FILE = PosixFilePermissions.fromString("rw-------");

  private PrivateFiles() {}

  /**
   * Makes {@code dir} (and missing parents) when it is not there; the directory itself is made 0700. An
   * existing directory keeps its mode: it may be one the operator shares on purpose.
   */
  public static Path directory(Path dir) throws IOException {
    if (Files.isDirectory(dir)) {
      return dir;
    }
    Path parent = dir.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    try {
      Files.createDirectory(dir, posix(dir) ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_DIR)}
          : new FileAttribute<?>[0]);
    } catch (FileAlreadyExistsException e) {
      if (!Files.isDirectory(dir)) {
        throw new NotDirectoryException(dir.toString());
      }
    }
    return dir;
  }

  /** Makes {@code file} empty and 0600 when it is not there, and narrows it to 0600 when it is wider. */
  public static void file(Path file) throws IOException {
    if (!posix(file.toAbsolutePath().getParent())) {
      return;
    }
    try {
      Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_FILE));
    } catch (FileAlreadyExistsException e) {
      restrict(file);
    }
  }

  /** Narrows an existing file to 0600 when group or others have any access to it. */
  public static void restrict(Path file) throws IOException {
    if (exposed(Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS))) {
      Files.setPosixFilePermissions(file, OWNER_FILE);
    }
  }

  /** Whether a mode gives group or others any access. */
  public static boolean exposed(Set<PosixFilePermission> mode) {
    return mode.stream().anyMatch(p -> p.name().startsWith("GROUP_") || p.name().startsWith("OTHERS_"));
  }

  /**
   * Flushes a directory's entries to disk, so a file just renamed into it survives a crash under its new
   * name. Best effort: where a directory cannot be opened for syncing, the rename itself is all there is.
   */
  public static void syncDirectory(Path dir) {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      // not every platform lets a directory be opened; the data itself was forced before the rename
    }
  }

  /**
   * Writes and removes {@code bytes} bytes in {@code dir}, to learn why something larger failed there
   * (full, read-only, not writable). Throws what the file system said.
   */
  public static void probe(Path dir, int bytes) throws IOException {
    Path probe = Files.createTempFile(dir, ".flowwatch-probe-", ".tmp");
    try {
      Files.write(probe, new byte[bytes], StandardOpenOption.SYNC);
    } finally {
      Files.deleteIfExists(probe);
    }
  }

  private static boolean posix(Path dir) {
    Path existing = dir;
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    return existing == null || Files.getFileAttributeView(existing,
        PosixFileAttributeView.class) != null;
  }
}
