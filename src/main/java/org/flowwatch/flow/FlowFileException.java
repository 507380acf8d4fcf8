package org.flowwatch.flow;

/**
 * A flow definition or input schema file cannot be read at all (missing, unreadable, not UTF-8). A file
 * that can be read but is not valid JSON is not an exception: the linter reports it as finding FW001.
 */
public class FlowFileException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public FlowFileException(String message, Throwable cause) {
    super(message, cause);
  }
}
