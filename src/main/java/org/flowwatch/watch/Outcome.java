package org.flowwatch.watch;

/**
 * How a start use-case ended, when it did not throw; the CLI maps each to its documented exit code.
 * Failures with a cause of their own (config, credentials, the service) are exceptions instead.
 */
public enum Outcome {
  /** Done: started, or (for a dry run) everything valid. */
  OK,
  /** A run directory's input document breaks the schema (or a dry run found lint errors). */
  INVALID,
  /** A hand start of a directory that is not completely written. */
  NOT_READY,
  /** A hand start of a directory the ledger already has as started or succeeded. */
  ALREADY_STARTED,
  /** A followed run ended without succeeding. */
  RUN_FAILED,
  /** A problem every run would hit: nothing could start. */
  CONFIG_PROBLEM
}
