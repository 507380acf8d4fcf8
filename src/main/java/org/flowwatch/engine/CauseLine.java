package org.flowwatch.engine;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A state's failure cause in one line, for a person. An ActionFailedException's cause is the action's
 * whole status as JSON (as on the service): its {@code details} code and message, or a Compute error's
 * first line, say what went wrong. A traceback or a job's log follows the first line; the whole cause is
 * in the run record.
 */
public final class CauseLine {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX = 240;

  private CauseLine() {}

  public static String of(String text) {
    if (text == null || text.isBlank()) {
      return "(no cause given)";
    }
    String cause = text.strip();
    if (cause.startsWith("{")) {
      try {
        JsonNode details = JSON.readTree(cause).path("details");
        String code = details.path("code").asText("");
        String message = details.path("message").asText(details.path("error").asText(
            details.path("description").asText("")));
        if (!code.isEmpty() || !message.isEmpty()) {
          cause = code.isEmpty() ? message : message.isEmpty() ? code : code + ": " + message;
        }
      } catch (JsonProcessingException e) {
        // Not JSON after all: shown as it is.
      }
    }
    String first = cause.lines().findFirst().orElse("");
    if (first.length() > MAX) {
      return first.substring(0, MAX) + "… [the whole cause is in the run record]";
    }
    return cause.contains("\n") ? first + " [more in the run record]" : first;
  }
}
