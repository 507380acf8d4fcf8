package org.flowwatch.globus.flows;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** Wire body of {@code POST /flows/{flow_id}/run}. */
record StartRunRequest(JsonNode body, String label, List<String> tags, List<String> runMonitors, List<String> runManagers) {

  static StartRunRequest of(StartRun run) {
    return new StartRunRequest(run.body(), run.label(), run.tags(), run.runMonitors(), run.runManagers());
  }
}
