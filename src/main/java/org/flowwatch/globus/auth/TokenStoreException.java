package org.flowwatch.globus.auth;

import java.io.IOException;
import java.nio.file.Path;
import org.flowwatch.globus.GlobusException;
import org.flowwatch.text.FileProblems;

/** The token file could not be read, parsed or written. */
public class TokenStoreException extends GlobusException {
  private static final long serialVersionUID = 1L;

  private final transient Path file;
  private boolean environmental;

  public TokenStoreException(String action, String reason, String remedy, Path file, Throwable cause) {
    super(action, reason, remedy, cause);
    this.file = file;
  }

  /**
   * The file system refused the token file (a directory in its place, a read-only or full file system,
   * permission denied): a problem of this host's set-up, not of the credentials in it.
   */
  public static TokenStoreException ofFileSystem(String action, IOException e, Path file) {
    TokenStoreException ex = new TokenStoreException(action, FileProblems.causeOf(e),
        capitalized(FileProblems.kindOf(e).fix()) + " (" + file + "), or set auth.token_file to another place.",
        file, e);
    ex.environmental = true;
    return ex;
  }

  private static String capitalized(String clause) {
    return Character.toUpperCase(clause.charAt(0)) + clause.substring(1);
  }

  /** True when the file system, not the file's content, is at fault (see {@link #ofFileSystem}). */
  public boolean environmental() {
    return environmental;
  }

  /** The token file concerned. */
  public Path file() {
    return file;
  }
}
