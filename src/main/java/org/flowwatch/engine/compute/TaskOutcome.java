package org.flowwatch.engine.compute;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * What one function call came to.
 *
 * @param output the returned value (null JSON when it failed)
 * @param failure why it failed, or null when it returned
 * @param log the last lines the function's process printed
 */
record TaskOutcome(JsonNode output, Failure failure, List<String> log) {
  TaskOutcome {
    log = List.copyOf(log);
  }

  boolean ok() {
    return failure == null;
  }

  /**
   * @param type the exception's class name ("RuntimeError"), or a word for a process that gave no result
   * @param message the exception's message
   * @param frames the last frames of the traceback, innermost last (empty when there is none)
   */
  record Failure(String type, String message, List<String> frames) {
    Failure {
      frames = List.copyOf(frames);
    }
  }
}
