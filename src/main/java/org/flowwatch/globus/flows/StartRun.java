package org.flowwatch.globus.flows;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Objects;

/**
 * What to start a flow run with.
 *
 * @param body the flow input; becomes {@code $} in the flow and is checked against its input schema
 * @param label the run label; flowwatch puts its trigger token here so an unknown outcome can be looked up
 * @param tags run tags (the service trims and collapses whitespace)
 * @param runMonitors principal URNs that may see the run
 * @param runManagers principal URNs that may manage the run
 * @param notificationPolicy the run statuses Globus e-mails the run's owner about; null sends no policy, so the
 *     service's default (INACTIVE) applies
 */
public record StartRun(JsonNode body, String label, List<String> tags, List<String> runMonitors, List<String> runManagers,
    List<String> notificationPolicy) {

  public StartRun {
    Objects.requireNonNull(body, "body");
    if (!body.isObject()) {
      throw new IllegalArgumentException("body must be a JSON object, got " + body.getNodeType());
    }
    body = body.deepCopy();
    tags = List.copyOf(tags == null ? List.of() : tags);
    runMonitors = List.copyOf(runMonitors == null ? List.of() : runMonitors);
    runManagers = List.copyOf(runManagers == null ? List.of() : runManagers);
    notificationPolicy = notificationPolicy == null ? null : List.copyOf(notificationPolicy);
  }

  /** A start without a notification policy. */
  public StartRun(JsonNode body, String label, List<String> tags, List<String> runMonitors, List<String> runManagers) {
    this(body, label, tags, runMonitors, runManagers, null);
  }
}
