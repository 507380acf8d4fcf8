package org.flowwatch.engine;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Objects;

/**
 * What an action came to, shaped like a hosted action provider's status document: the interpreter
 * stores {@link #toJson} at the state's {@code ResultPath}, so a flow reads {@code $.X.status} and
 * {@code $.X.details} as it would from Globus.
 *
 * @param status {@code SUCCEEDED} or {@code FAILED}
 * @param details the provider's result (on failure: what went wrong, in the provider's own shape)
 */
public record ActionStatus(String actionId, String status, JsonNode details, Instant startTime,
    Instant completionTime) {
  public static final String SUCCEEDED = "SUCCEEDED";
  public static final String FAILED = "FAILED";

  public ActionStatus {
    Objects.requireNonNull(actionId, "actionId");
    if (!SUCCEEDED.equals(status) && !FAILED.equals(status)) {
      throw new IllegalArgumentException("status must be SUCCEEDED or FAILED, not " + status);
    }
    Objects.requireNonNull(details, "details");
  }

  public boolean succeeded() {
    return SUCCEEDED.equals(status);
  }

  /** The document the hosted providers answer with (action_id, status, display_status, details, times). */
  public JsonNode toJson() {
    com.fasterxml.jackson.databind.node.ObjectNode o =
        com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
    o.put("action_id", actionId);
    o.put("status", status);
    o.put("display_status", status);
    o.set("details", details);
    o.put("start_time", startTime == null ? null : startTime.toString());
    o.put("completion_time", completionTime == null ? null : completionTime.toString());
    return o;
  }
}
