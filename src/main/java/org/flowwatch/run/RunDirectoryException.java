package org.flowwatch.run;

/**
 * A run directory cannot be described: it is missing or unreadable, its name does not match the
 * configured pattern, it lies outside every collection, or the config's fact names clash. The message
 * says what was read, what is wrong and what to do.
 */
public class RunDirectoryException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public RunDirectoryException(String message) {
    super(message);
  }

  public RunDirectoryException(String message, Throwable cause) {
    super(message, cause);
  }
}
