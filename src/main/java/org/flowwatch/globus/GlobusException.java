package org.flowwatch.globus;

import java.util.Objects;

/**
 * A Globus call that did not do what was asked. The message always reads
 * "Tried to &lt;action&gt; but failed because: &lt;reason&gt;. &lt;remedy&gt;" and never contains a token or secret.
 */
public abstract class GlobusException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String action;
  private final String reason;
  private final String remedy;

  /**
   * @param action what was being tried, phrased to follow "Tried to"
   * @param reason why it failed, with the service's code and debug id when known
   * @param remedy what the user can do next; may be empty
   */
  protected GlobusException(String action, String reason, String remedy, Throwable cause) {
    super(compose(action, reason, remedy), cause);
    this.action = Objects.requireNonNull(action, "action");
    this.reason = Objects.requireNonNull(reason, "reason");
    this.remedy = remedy == null ? "" : remedy;
  }

  /** What was being tried, e.g. "start a run of flow 0b1c…". */
  public String action() {
    return action;
  }

  /** Why it failed. */
  public String reason() {
    return reason;
  }

  /** What to do next, or an empty string. */
  public String remedy() {
    return remedy;
  }

  private static String compose(String action, String reason, String remedy) {
    StringBuilder text = new StringBuilder("Tried to ").append(action).append(" but failed because: ");
    text.append(reason);
    if (!reason.endsWith(".")) {
      text.append('.');
    }
    if (remedy != null && !remedy.isBlank()) {
      text.append(' ').append(remedy);
    }
    return text.toString();
  }
}
