package org.flowwatch.engine.transfer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Consumer;
import org.flowwatch.config.PrivateFiles;

/**
 * Copies a transfer's items on this machine the way a Transfer task places them: a recursive item's
 * contents go inside the destination directory, a file item becomes the destination path, and missing
 * parent directories are made. Copies keep the source's modification time (so a later
 * {@code sync_level} 2 sees them as in sync) and land under their name only when complete: each is
 * written to a hidden part file beside it first, so an interrupted action leaves no half file behind
 * under the real name. Symbolic links inside a directory are not followed, as Transfer's
 * {@code recursive_symlinks: ignore}; a link named by an item itself is followed.
 */
final class TransferExecution {
  private static final int BLOCK = 1 << 20;
  private static final int PROGRESS_EVERY = 100;

  private final List<FilterRule> rules;
  private final SyncLevel syncLevel;
  private final boolean verifyChecksum;
  private final boolean deleteExtra;
  private final Consumer<String> progress;
  private final TransferCounts counts = new TransferCounts();
  private final Checksums checksums = new Checksums();

  TransferExecution(List<FilterRule> rules, SyncLevel syncLevel, boolean verifyChecksum, boolean deleteExtra,
      Consumer<String> progress) {
    this.rules = List.copyOf(rules);
    this.syncLevel = syncLevel;
    this.verifyChecksum = verifyChecksum;
    this.deleteExtra = deleteExtra;
    this.progress = progress;
  }

  TransferCounts counts() {
    return counts;
  }

  long bytesChecksummed() {
    return checksums.bytes();
  }

  void run(List<TransferItem> items) throws TransferFailure, InterruptedException {
    for (TransferItem item : items) {
      runItem(item);
      progress.accept(item.source().path() + " -> " + item.destination().path() + ": " + counts.summary());
    }
  }

  private void runItem(TransferItem item) throws TransferFailure, InterruptedException {
    CollectionPath source = item.source();
    BasicFileAttributes attributes;
    try {
      attributes = Files.readAttributes(source.local(), BasicFileAttributes.class);
    } catch (NoSuchFileException e) {
      throw new TransferFailure("FILE_NOT_FOUND", "the source path " + source.path() + " does not exist in"
          + " collection " + source.collection() + " (local " + source.local() + ")");
    } catch (IOException e) {
      throw failure("read the source path", source, e);
    }
    boolean directory = attributes.isDirectory();
    if (Boolean.TRUE.equals(item.recursive()) && !directory) {
      throw new TransferFailure("NOT_A_DIRECTORY", "the source path " + source.path() + " in collection "
          + source.collection() + " is a file, but its item has recursive: true (set recursive to false to"
          + " copy one file)");
    }
    if (Boolean.FALSE.equals(item.recursive()) && directory) {
      throw new TransferFailure("IS_A_DIRECTORY", "the source path " + source.path() + " in collection "
          + source.collection() + " is a directory, but its item has recursive: false (set recursive to"
          + " true to copy a directory)");
    }
    if (directory) {
      Path from = source.local().toAbsolutePath().normalize();
      if (item.destination().local().toAbsolutePath().normalize().startsWith(from)) {
        // It would copy its own copies, without end.
        throw new TransferFailure("INVALID_ITEM", "the destination path " + item.destination().path()
            + " lies inside the source directory " + source.path() + " (the same local directory " + from + ")");
      }
      copyDirectory(source, item.destination());
    } else {
      CollectionPath destination = item.destination();
      if (Files.isDirectory(destination.local(), LinkOption.NOFOLLOW_LINKS)) {
        throw new TransferFailure("IS_A_DIRECTORY", "the destination path " + destination.path()
            + " in collection " + destination.collection() + " is a directory; a file item's destination_path"
            + " names the file itself (e.g. " + destination.child(source.name()).path() + ")");
      }
      makeParents(destination);
      copyFile(source, attributes, destination);
    }
  }

  private void copyDirectory(CollectionPath source, CollectionPath destination)
      throws TransferFailure, InterruptedException {
    makeDirectory(destination);
    counts.directories++;
    Set<String> names = new TreeSet<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(source.local())) {
      for (Path entry : entries) {
        names.add(entry.getFileName().toString());
      }
    } catch (IOException e) {
      throw failure("list the source directory", source, e);
    }
    for (String name : names) {
      if (Thread.interrupted()) {
        throw new InterruptedException("transfer stopped at " + source.child(name).path());
      }
      CollectionPath from = source.child(name);
      BasicFileAttributes attributes;
      try {
        attributes = Files.readAttributes(from.local(), BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      } catch (NoSuchFileException e) {
        continue; // removed while we listed: it is not part of the source any more
      } catch (IOException e) {
        throw failure("read", from, e);
      }
      if (attributes.isSymbolicLink() || attributes.isOther()) {
        continue;
      }
      boolean isDirectory = attributes.isDirectory();
      if (!FilterRule.transfers(rules, name, isDirectory)) {
        continue;
      }
      if (isDirectory) {
        CollectionPath into = destination.child(name);
        if (Files.isSymbolicLink(into.local())) {
          // Writing through a link the destination already holds could reach outside the collection.
          throw new TransferFailure("ENDPOINT_ERROR", "the destination path " + into.path() + " in collection "
              + into.collection() + " is a symbolic link where the transfer needs a directory; remove it or"
              + " transfer elsewhere");
        }
        copyDirectory(from, into);
      } else {
        copyFile(from, attributes, destination.child(name));
      }
    }
    if (deleteExtra) {
      deleteExtra(destination, names);
    }
  }

  private void copyFile(CollectionPath source, BasicFileAttributes attributes, CollectionPath destination)
      throws TransferFailure, InterruptedException {
    counts.files++;
    try {
      if (syncLevel != null && !syncLevel.needsCopy(source.local(), attributes, destination.local(), checksums)) {
        counts.filesSkipped++;
        return;
      }
    } catch (IOException e) {
      throw failure("compare with the destination", source, e);
    }
    Path target = destination.local();
    Path part = target.resolveSibling("." + target.getFileName() + ".fwpart-" + UUID.randomUUID());
    try {
      String sent = write(source.local(), part);
      Files.setLastModifiedTime(part, attributes.lastModifiedTime());
      if (verifyChecksum) {
        String received = checksums.of(part);
        if (!received.equals(sent)) {
          throw new TransferFailure("CHECKSUM_MISMATCH", "the copy of " + source.path() + " has MD5 " + received
              + " but the source had " + sent + " while it was read; was the source written to during the"
              + " transfer?");
        }
      }
      Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      counts.filesTransferred++;
      counts.bytesTransferred += attributes.size();
      if (counts.filesTransferred % PROGRESS_EVERY == 0) {
        progress.accept(counts.summary() + " so far");
      }
    } catch (IOException e) {
      throw failure("copy to " + destination.path() + " in collection " + destination.collection(), source, e);
    } finally {
      try {
        Files.deleteIfExists(part);
      } catch (IOException e) {
        progress.accept("could not remove the part file " + part + ": " + e.getMessage());
      }
    }
  }

  /** Copies the bytes, stopping between blocks when interrupted; the MD5 of what was read when verifying. */
  private String write(Path from, Path to) throws IOException, InterruptedException {
    MessageDigest md5 = verifyChecksum ? Checksums.md5() : null;
    byte[] buffer = new byte[BLOCK];
    Files.createFile(to, PosixFilePermissions.asFileAttribute(PrivateFiles.OWNER_FILE));
    try (InputStream in = Files.newInputStream(from);
        OutputStream out = Files.newOutputStream(to, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
      int n;
      while ((n = in.read(buffer)) > 0) {
        out.write(buffer, 0, n);
        if (md5 != null) {
          md5.update(buffer, 0, n);
        }
        if (Thread.interrupted()) {
          throw new InterruptedException("transfer stopped while copying " + from);
        }
      }
    }
    return md5 == null ? null : HexFormat.of().formatHex(md5.digest());
  }

  private void makeParents(CollectionPath destination) throws TransferFailure {
    Path parent = destination.local().getParent();
    try {
      if (parent != null && !Files.isDirectory(parent)) {
        createDirectories(parent);
      }
    } catch (IOException e) {
      throw failure("make the parent directories of", destination, e);
    }
  }

  private void makeDirectory(CollectionPath destination) throws TransferFailure {
    try {
      if (!Files.isDirectory(destination.local())) {
        createDirectories(destination.local());
      }
    } catch (FileAlreadyExistsException e) {
      throw new TransferFailure("NOT_A_DIRECTORY", "the destination path " + destination.path()
          + " in collection " + destination.collection() + " is a file where the transfer needs a directory");
    } catch (IOException e) {
      throw failure("make the destination directory", destination, e);
    }
  }

  /** Missing directories down to {@code dir}, each new one owner-only. */
  private static void createDirectories(Path dir) throws IOException {
    List<Path> missing = new ArrayList<>();
    for (Path p = dir; p != null && !Files.isDirectory(p); p = p.getParent()) {
      missing.add(0, p);
    }
    for (Path p : missing) {
      Files.createDirectory(p, PosixFilePermissions.asFileAttribute(PrivateFiles.OWNER_DIR));
    }
  }

  /** {@code delete_destination_extra}: what the destination directory holds that the source does not. */
  private void deleteExtra(CollectionPath destination, Set<String> sourceNames) throws TransferFailure {
    List<Path> extra = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(destination.local())) {
      for (Path entry : entries) {
        if (!sourceNames.contains(entry.getFileName().toString())) {
          extra.add(entry);
        }
      }
      for (Path entry : extra) {
        counts.deleted += Trees.delete(entry);
      }
    } catch (IOException e) {
      throw failure("delete extra entries of", destination, e);
    }
  }

  private static TransferFailure failure(String what, CollectionPath path, IOException e) {
    return new TransferFailure("ENDPOINT_ERROR", "could not " + what + " " + path.path() + " in collection "
        + path.collection() + " (local " + path.local() + "): " + e.getClass().getSimpleName() + ": "
        + e.getMessage());
  }
}
