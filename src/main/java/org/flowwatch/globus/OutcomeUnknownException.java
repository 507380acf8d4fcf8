package org.flowwatch.globus;

/**
 * A non-repeatable call (a run start, a flow create or update) was, or may have been, sent but no answer came back: timeout,
 * connection reset, 5xx or an unreadable success response. The run may or may not exist. Look it up by
 * its label before starting again; never just repeat the call.
 */
public class OutcomeUnknownException extends GlobusException {
  private static final long serialVersionUID = 1L;

  private final String label;

  public OutcomeUnknownException(String action, String reason, String label, Throwable cause) {
    this(action, reason, label, remedy(label), cause);
  }

  /**
   * For calls that create or change something other than a run (a flow), whose remedy reads differently.
   *
   * @param remedy how to find out whether the call took effect, and what to do next
   */
  public OutcomeUnknownException(String action, String reason, String label, String remedy, Throwable cause) {
    super(action, reason, remedy, cause);
    this.label = label;
  }

  /** The label the run was started with, to search for it; may be null. */
  public String label() {
    return label;
  }

  private static String remedy(String label) {
    return label == null || label.isEmpty()
        ? "The run may or may not exist: check the flow's runs before starting it again."
        : "The run may or may not exist: look for a run labelled '" + label + "' before starting it again.";
  }
}
