package org.flowwatch.engine;

/**
 * A state ended in an error the flow may catch, named as Globus names it ({@code ActionUnableToRun},
 * {@code ActionFailedException}, {@code ActionTimeout}, or a Fail state's {@code Error}). Errors named
 * {@code States.*} that the service raises itself (a path that selects nothing, no Choice matched) are
 * not catchable: {@link #catchable()} is false for them.
 */
final class StateFailure extends Exception {
  private static final long serialVersionUID = 1L;

  static final String UNABLE_TO_RUN = "ActionUnableToRun";
  static final String ACTION_FAILED = "ActionFailedException";
  static final String TIMEOUT = "ActionTimeout";
  static final String RUNTIME = "States.Runtime";
  static final String NO_CHOICE = "States.NoChoiceMatched";

  private final String error;
  private final String cause;
  private final boolean catchable;

  StateFailure(String error, String cause, boolean catchable) {
    super(error + ": " + cause);
    this.error = error;
    this.cause = cause;
    this.catchable = catchable;
  }

  /** A failure the flow itself cannot catch: the definition asked for something the state does not hold. */
  static StateFailure runtime(String cause) {
    return new StateFailure(RUNTIME, cause, false);
  }

  String error() {
    return error;
  }

  String cause() {
    return cause;
  }

  boolean catchable() {
    return catchable;
  }
}
