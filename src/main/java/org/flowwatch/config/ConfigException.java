package org.flowwatch.config;

/**
 * A configuration problem the user must fix. The message names the file, line and key and says what is
 * expected.
 */
public class ConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ConfigException(String message) {
    super(message);
  }

  public ConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
