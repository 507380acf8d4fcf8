package org.flowwatch.check;

import java.util.Objects;

/**
 * One line of {@code flowwatch check}.
 *
 * @param check what was checked, short: {@code config}, {@code token flow start}, {@code endpoint fit}
 * @param verdict ok, warn or fail
 * @param message what was found, with the ids and paths involved, and for a warning or failure what to do
 * @param failure for a failure, its class (the command turns it into an exit code); null otherwise
 * @param cause for a {@link Failure#SERVICE} failure, the exception that says which; null otherwise
 */
public record CheckResult(String check, Verdict verdict, String message, Failure failure, RuntimeException cause) {

  public enum Verdict { OK, WARN, FAIL }

  /** What kind of thing failed. */
  public enum Failure {
    /** The config file, or a setting in it or the environment, is wrong. */
    CONFIG,
    /** The state directory cannot be written. */
    STATE_DIRECTORY,
    /** The local flow files have lint errors, or the deployed flow differs from them. */
    FLOW_FILES,
    /** A Compute endpoint exists but is not online. */
    OFFLINE,
    /** A Globus service refused or could not be reached; {@link #cause} says which. */
    SERVICE
  }

  public CheckResult {
    Objects.requireNonNull(check, "check");
    Objects.requireNonNull(verdict, "verdict");
    Objects.requireNonNull(message, "message");
    if ((verdict == Verdict.FAIL) != (failure != null)) {
      throw new IllegalArgumentException("a failure, and only a failure, has a failure class: " + check);
    }
    if (failure == Failure.SERVICE && cause == null) {
      throw new IllegalArgumentException("a service failure needs its cause: " + check);
    }
  }

  static CheckResult ok(String check, String message) {
    return new CheckResult(check, Verdict.OK, message, null, null);
  }

  static CheckResult warn(String check, String message) {
    return new CheckResult(check, Verdict.WARN, message, null, null);
  }

  static CheckResult fail(String check, Failure failure, String message) {
    return new CheckResult(check, Verdict.FAIL, message, failure, null);
  }

  /** A failure whose message is the exception's: what was tried, why it failed, what to do. */
  static CheckResult fail(String check, RuntimeException cause) {
    return new CheckResult(check, Verdict.FAIL, cause.getMessage(), Failure.SERVICE, cause);
  }

  public boolean failed() {
    return verdict == Verdict.FAIL;
  }
}
