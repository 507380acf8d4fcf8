package org.flowwatch.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Who and what a local run is: what a flow reads at {@code $._context}.
 *
 * @param runId the local run's id
 * @param flowId the flow's id (the deployed one when known, else any stable name of the definition)
 * @param username the identity the run is for, as {@code $._context.username}
 */
public record RunContext(String runId, String flowId, String username) {
  public RunContext {
    if (runId == null || runId.isBlank()) {
      throw new IllegalArgumentException("runId must be set");
    }
    if (flowId == null) {
      throw new IllegalArgumentException("flowId must be set (any stable name of the definition will do)");
    }
    if (username == null) {
      throw new IllegalArgumentException("username must be set");
    }
  }

  /** The {@code _context} object. */
  public JsonNode toJson() {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("run_id", runId);
    o.put("flow_id", flowId);
    o.put("username", username);
    return o;
  }
}
