package org.flowwatch.engine;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Where a run is: the state about to run and the flow state it will read. The interpreter hands one to
 * {@link RunListener#entered} before every state; a caller that saves it can {@link FlowInterpreter#resume}
 * there after a restart, which runs that state again from the start.
 *
 * @param state the name of the state about to run
 * @param flowState the run's state document (without {@code _context}, which the run context supplies)
 */
public record Checkpoint(String state, JsonNode flowState) {
  public Checkpoint {
    if (state == null || state.isEmpty()) {
      throw new IllegalArgumentException("state must name a state of the definition");
    }
    if (flowState == null || !flowState.isObject()) {
      throw new IllegalArgumentException("flowState must be a JSON object, not " + Paths.kind(flowState));
    }
    flowState = flowState.deepCopy();
  }

  @Override
  public JsonNode flowState() {
    return flowState.deepCopy();
  }
}
