package org.flowwatch.input;

/**
 * The flow's input schema cannot be used: the file is missing or unreadable, is not JSON, is not a JSON
 * object, or is not a schema everit can compile. The message names the file, and the line and column
 * for a JSON syntax error.
 */
public class SchemaException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public SchemaException(String message) {
    super(message);
  }

  public SchemaException(String message, Throwable cause) {
    super(message, cause);
  }
}
