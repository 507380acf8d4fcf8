package org.flowwatch.local;

/** The local run store cannot be used (file system, damaged file). */
public final class LocalRunException extends RuntimeException {
  public LocalRunException(String message, Throwable cause) {
    super(message, cause);
  }
}
