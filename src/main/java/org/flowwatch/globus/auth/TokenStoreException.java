package org.flowwatch.globus.auth;

import java.nio.file.Path;
import org.flowwatch.globus.GlobusException;

/** The token file could not be read, parsed or written. */
public class TokenStoreException extends GlobusException {
  private static final long serialVersionUID = 1L;

  private final transient Path file;

  public TokenStoreException(String action, String reason, String remedy, Path file, Throwable cause) {
    super(action, reason, remedy, cause);
    this.file = file;
  }

  /** The token file concerned. */
  public Path file() {
    return file;
  }
}
