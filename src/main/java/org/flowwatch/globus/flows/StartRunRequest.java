package org.flowwatch.globus.flows;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** Wire body of {@code POST /flows/{flow_id}/run}; null fields are left out. */
record StartRunRequest(JsonNode body, String label, List<String> tags, List<String> runMonitors, List<String> runManagers,
    ActivityNotificationPolicy activityNotificationPolicy) {

  /** {@code {"status": ["INACTIVE", "FAILED"]}}: which run statuses the service e-mails the owner about. */
  record ActivityNotificationPolicy(List<String> status) {}

  static StartRunRequest of(StartRun run) {
    return new StartRunRequest(run.body(), run.label(), run.tags(), run.runMonitors(), run.runManagers(),
        run.notificationPolicy() == null ? null : new ActivityNotificationPolicy(run.notificationPolicy()));
  }
}
