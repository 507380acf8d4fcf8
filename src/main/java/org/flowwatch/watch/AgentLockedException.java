package org.flowwatch.watch;

/** Another agent holds the ledger or the watch directory. */
public final class AgentLockedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public AgentLockedException(String message) {
    super(message);
  }

  public AgentLockedException(String message, Throwable cause) {
    super(message, cause);
  }
}
