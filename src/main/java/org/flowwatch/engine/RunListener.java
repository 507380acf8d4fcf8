package org.flowwatch.engine;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Hears a run state by state, on the thread that called {@link FlowInterpreter#run}: for one stderr line
 * per state, for the ledger's history, and to save {@link Checkpoint}s. Every method has an empty default.
 */
public interface RunListener {
  RunListener NONE = new RunListener() {};

  /** The state {@code at.state()} of type {@code type} starts; save {@code at} to resume here. */
  default void entered(Checkpoint at, String type) {}

  /** An action's provider reported progress ("transferred 12 files"). */
  default void progress(String state, String line) {}

  /** The state ended well; {@code next} is null when the run ends with it. */
  default void finished(String state, String next, JsonNode flowState) {}

  /** The state failed with {@code error} and a Catch sends the run on to {@code next}. */
  default void caught(String state, String error, String cause, String next) {}

  /** The state failed with {@code error} and nothing caught it: the run ends FAILED. */
  default void failed(String state, String error, String cause) {}
}
