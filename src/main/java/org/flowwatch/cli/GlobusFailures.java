package org.flowwatch.cli;

/** Exit codes for failures talking to Globus. */
final class GlobusFailures {
  private GlobusFailures() {}

  static int exitCodeOf(Throwable ex) {
    return ExitCode.INTERNAL;
  }
}
