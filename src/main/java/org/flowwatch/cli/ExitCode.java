package org.flowwatch.cli;

import org.flowwatch.watch.Outcome;

/** The documented exit codes (README.md, "Exit codes"): one per class of failure. */
public final class ExitCode {
  public static final int OK = 0;
  /** A bug in flowwatch: an exception nobody expected. */
  public static final int INTERNAL = 1;
  /** Bad command-line usage. */
  public static final int USAGE = 2;
  /** The config file, or a file it names (such as the input schema), is missing or wrong. */
  public static final int CONFIG = 3;
  /** The run directory or its input document is not valid (name, location, template, schema). */
  public static final int INVALID_INPUT = 4;
  /** Globus credentials are missing or were refused, or consent is needed. */
  public static final int AUTH = 5;
  /** Globus refused the request (not found, bad request). */
  public static final int REJECTED = 6;
  /** Globus could not be reached or kept failing (5xx, network, rate limit); the outcome may be unknown. */
  public static final int UNAVAILABLE = 7;
  /** With --wait: the run ended without succeeding. */
  public static final int RUN_FAILED = 8;
  /** Another agent already holds the ledger or the watch directory. */
  public static final int LOCKED = 9;
  /** {@code --rundir}: the ledger has the directory started or succeeded already (see --again). */
  public static final int ALREADY_STARTED = 10;
  /** {@code --rundir}: the directory is not completely written by the readiness policies (see --force). */
  public static final int NOT_READY = 11;
  /** Stopped by SIGTERM (the JVM's 128 + 15). */
  public static final int TERMINATED = 143;
  /** Interrupted (Ctrl-C). */
  public static final int INTERRUPTED = 130;

  private ExitCode() {}

  /** The exit code of a use-case's outcome. */
  static int of(Outcome outcome) {
    return switch (outcome) {
      case OK -> OK;
      case INVALID -> INVALID_INPUT;
      case NOT_READY -> NOT_READY;
      case ALREADY_STARTED -> ALREADY_STARTED;
      case RUN_FAILED -> RUN_FAILED;
      case CONFIG_PROBLEM -> CONFIG;
    };
  }
}
