package org.flowwatch.globus.flows;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.flowwatch.globus.Fixtures.FLOW_ID;
import static org.flowwatch.globus.Fixtures.RUN_ID;
import static org.flowwatch.globus.Fixtures.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code flow.notification_policy} reaches the service as {@code activity_notification_policy} on every start. */
class NotificationPolicyStartTest extends FlowsTestBase {

  private final ObjectMapper json = new ObjectMapper();

  private GlobusFlowRuns runs() {
    return new GlobusFlowRuns(flows, new FlowTarget(FLOW_ID, FLOW_SCOPE, START_SCOPE));
  }

  private StartRun start(List<String> policy) throws Exception {
    return new StartRun(json.readTree("{\"segments\": 3}"), "run1217", List.of("e21062"), List.of(), List.of(),
        policy);
  }

  @Test
  void aStartCarriesTheConfiguredActivityNotificationPolicy() throws Exception {
    wm.stubFor(post(urlEqualTo(START_PATH))
        .withRequestBody(equalToJson("{\"activity_notification_policy\": {\"status\": [\"FAILED\", \"INACTIVE\"]}}",
            true, true))
        .willReturn(aResponse().withStatus(201).withHeader("Content-Type", "application/json")
            .withBody(json("flows/run-started.json"))));

    FlowRun run = runs().start(start(List.of("FAILED", "INACTIVE")), TriggerToken.fresh());

    assertEquals(RUN_ID, run.runId());
    JsonNode sent = json.readTree(wm.findAll(postRequestedFor(urlEqualTo(START_PATH))).get(0).getBodyAsString());
    assertEquals("[\"FAILED\",\"INACTIVE\"]", sent.get("activity_notification_policy").get("status").toString());
  }

  @Test
  void withoutAPolicyTheBodyLeavesTheServiceDefault() throws Exception {
    wm.stubFor(post(urlEqualTo(START_PATH)).willReturn(aResponse().withStatus(201)
        .withHeader("Content-Type", "application/json").withBody(json("flows/run-started.json"))));

    runs().start(start(null), TriggerToken.fresh());

    JsonNode sent = json.readTree(wm.findAll(postRequestedFor(urlEqualTo(START_PATH))).get(0).getBodyAsString());
    assertFalse(sent.has("activity_notification_policy"), sent.toString());
  }
}
