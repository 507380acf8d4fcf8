package org.flowwatch.cli;

/** A combination of options or a missing setting that makes the command impossible to carry out. */
final class UsageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  UsageException(String message) {
    super(message);
  }
}
