package org.flowwatch.text;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.Locale;

/**
 * What went wrong with a file, in the words an operator needs: the cause ("the file system is full") and
 * what to do about it, never the name of the Java exception that carried it. The operating system's
 * reason (ENOSPC, EROFS, EACCES...) reaches Java as the text of a {@link FileSystemException}, which is
 * where most of these are read from.
 */
public final class FileProblems {
  private FileProblems() {}

  /** The kinds of file trouble flowwatch tells apart. */
  public enum Kind {
    FULL("the file system is full", "free space there"),
    QUOTA("the disk quota is used up", "free space or raise the quota"),
    READ_ONLY("the file system is mounted read-only", "use a directory on a writable file system"),
    DENIED("permission denied", "give this user write access, or use a directory it owns"),
    MISSING("it does not exist", "create it, or fix the path"),
    NOT_A_DIRECTORY("a part of the path is a file, not a directory", "move the file aside, or fix the path"),
    IS_A_DIRECTORY("it is a directory, not a file", "move the directory aside, or fix the path"),
    IN_THE_WAY("a file of that name is in the way", "move it aside"),
    OTHER("", "check the file system");

    private final String cause;
    private final String fix;

    Kind(String cause, String fix) {
      this.cause = cause;
      this.fix = fix;
    }

    /** What to do, as an imperative clause without a full stop. */
    public String fix() {
      return fix;
    }
  }

  /** The kind of {@code e}, from its type or, for the generic ones, the operating system's reason. */
  public static Kind kindOf(IOException e) {
    if (e instanceof AccessDeniedException) {
      return Kind.DENIED;
    }
    if (e instanceof NoSuchFileException) {
      return Kind.MISSING;
    }
    if (e instanceof NotDirectoryException) {
      return Kind.NOT_A_DIRECTORY;
    }
    if (e instanceof FileAlreadyExistsException || e instanceof DirectoryNotEmptyException) {
      return Kind.IN_THE_WAY;
    }
    String reason = reasonOf(e).toLowerCase(Locale.ROOT);
    if (reason.contains("no space left")) {
      return Kind.FULL;
    }
    if (reason.contains("quota")) {
      return Kind.QUOTA;
    }
    if (reason.contains("read-only file system")) {
      return Kind.READ_ONLY;
    }
    if (reason.contains("permission denied") || reason.contains("operation not permitted")) {
      return Kind.DENIED;
    }
    if (reason.contains("not a directory")) {
      return Kind.NOT_A_DIRECTORY;
    }
    if (reason.contains("is a directory")) {
      return Kind.IS_A_DIRECTORY;
    }
    if (reason.contains("no such file")) {
      return Kind.MISSING;
    }
    return Kind.OTHER;
  }

  /** The cause of {@code e} in words: "the file system is full", or the system's own reason. */
  public static String causeOf(IOException e) {
    Kind kind = kindOf(e);
    if (kind != Kind.OTHER) {
      return kind.cause;
    }
    String reason = reasonOf(e);
    return reason.isBlank() ? "an input/output error" : reason;
  }

  /** "cause; fix": one clause to end a sentence that names the path. */
  public static String explain(IOException e) {
    return causeOf(e) + "; " + kindOf(e).fix();
  }

  /**
   * The operating system's reason: a {@link FileSystemException}'s own reason (its message repeats the
   * path, which the caller names anyway), else the message.
   */
  private static String reasonOf(IOException e) {
    if (e instanceof FileSystemException fse && fse.getReason() != null) {
      return fse.getReason();
    }
    return e.getMessage() == null ? "" : e.getMessage();
  }
}
