package org.flowwatch.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * How a local run ended.
 *
 * @param status {@link #SUCCEEDED} or {@link #FAILED}
 * @param output the flow state at the end (for a failure: as it was when the failing state started)
 * @param error for a failure, the error name ({@code ActionFailedException}, a Fail state's Error, ...)
 * @param cause for a failure, what went wrong in words
 * @param failedState for a failure, the name of the state that failed
 */
public record RunResult(String status, JsonNode output, String error, String cause, String failedState) {
  public static final String SUCCEEDED = "SUCCEEDED";
  public static final String FAILED = "FAILED";

  public RunResult {
    if (!SUCCEEDED.equals(status) && !FAILED.equals(status)) {
      throw new IllegalArgumentException("status must be SUCCEEDED or FAILED, not " + status);
    }
    if (output == null) {
      throw new IllegalArgumentException("output must be set");
    }
  }

  static RunResult succeeded(JsonNode output) {
    return new RunResult(SUCCEEDED, output, null, null, null);
  }

  static RunResult failed(JsonNode output, String error, String cause, String state) {
    return new RunResult(FAILED, output, error, cause, state);
  }

  public boolean succeeded() {
    return SUCCEEDED.equals(status);
  }

  /**
   * The run shaped like the Flows service's run record: {@code run_id}, {@code flow_id}, {@code status},
   * {@code details.output}; a failure adds {@code details.code} ({@code FlowFailed}), the error, its cause
   * and the failing state's name.
   */
  public JsonNode toRunRecord(RunContext context) {
    ObjectNode run = JsonNodeFactory.instance.objectNode();
    run.put("run_id", context.runId());
    run.put("flow_id", context.flowId());
    run.put("status", status);
    ObjectNode details = run.putObject("details");
    if (!succeeded()) {
      details.put("code", "FlowFailed");
      details.put("error", error);
      details.put("cause", cause);
      details.put("failed_state", failedState);
    }
    details.set("output", output);
    return run;
  }
}
