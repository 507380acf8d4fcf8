package org.flowwatch.watch;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.flowwatch.config.AuthConfig;
import org.flowwatch.globus.auth.AuthClient;
import org.flowwatch.globus.flows.FlowRun;
import org.flowwatch.globus.flows.FlowTarget;
import org.flowwatch.globus.flows.FlowsClient;
import org.flowwatch.globus.flows.GlobusFlowRuns;
import org.flowwatch.globus.GlobusHttp;
import org.flowwatch.globus.ServiceUrls;
import org.flowwatch.globus.auth.AuthClient;
import org.flowwatch.globus.auth.TokenManager;
import org.flowwatch.globus.flows.FlowRun;
import org.flowwatch.globus.flows.FlowsClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class RunFollowerTest {
  private static final UUID RUN = UUID.fromString("5d3a1c2e-7f00-4a11-9b3e-1217aa000001");

  @RegisterExtension
  static WireMockExtension globus = WireMockExtension.newInstance()
      .options(wireMockConfig().dynamicPort()).failOnUnmatchedRequests(true).build();

  private static String run(String status, String code) {
    return "{\"run_id\": \"" + RUN + "\", \"flow_id\": \"babd88e5-d31d-48c7-b3a0-b765389b5c22\", \"status\": \""
        + status + "\", \"label\": \"r\", \"tags\": [], \"details\": {\"code\": \"" + code + "\"}}";
  }

  private void step(String from, String to, String body) {
    globus.stubFor(get("/runs/" + RUN).inScenario("run").whenScenarioStateIs(from)
        .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(body))
        .willSetStateTo(to));
  }

  @Test
  void reportsEachChangeOnceAndBacksOffUpToTheMaximum() throws Exception {
    globus.stubFor(com.github.tomakehurst.wiremock.client.WireMock.post("/v2/oauth2/token").willReturn(
        aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(
            "{\"access_token\": \"t\", \"resource_server\": \"flows.globus.org\", \"expires_in\": 3600,"
                + " \"scope\": \"s\", \"token_type\": \"Bearer\", \"other_tokens\": []}")));
    step(Scenario.STARTED, "2", run("ACTIVE", "FlowStarting"));
    step("2", "3", run("ACTIVE", "FlowStarting"));
    step("3", "4", run("INACTIVE", "ConsentRequired"));
    step("4", "5", run("ACTIVE", "ActionStarted"));
    step("5", "5", run("SUCCEEDED", "FlowSucceeded"));
    String url = globus.baseUrl();
    GlobusHttp http = new GlobusHttp(ServiceUrls.from(Map.of("GLOBUS_SDK_SERVICE_URL_AUTH", url,
        "GLOBUS_SDK_SERVICE_URL_FLOWS", url)));
    TokenManager tokens = TokenManager.create(Map.of("GLOBUS_CLIENT_ID", "id", "GLOBUS_CLIENT_SECRET", "secret"),
        AuthConfig.DEFAULT, new AuthClient(http, Clock.systemUTC()), Clock.systemUTC());
    List<Duration> sleeps = new ArrayList<>();
    RunFollower follower = new RunFollower(new GlobusFlowRuns(new FlowsClient(http, tokens),
        new FlowTarget(UUID.randomUUID(), "scope", "scope")), sleeps::add, Duration.ofSeconds(2),
        Duration.ofSeconds(5));
    List<String> seen = new ArrayList<>();

    FlowRun end = follower.follow(RUN, r -> seen.add(r.status() + "/" + r.detailsCode()));

    assertEquals("SUCCEEDED", end.status());
    assertEquals(List.of("ACTIVE/FlowStarting", "INACTIVE/ConsentRequired", "ACTIVE/ActionStarted",
        "SUCCEEDED/FlowSucceeded"), seen);
    assertEquals(List.of(Duration.ofSeconds(2), Duration.ofSeconds(4), Duration.ofSeconds(5), Duration.ofSeconds(5)),
        sleeps);
    http.close();
  }
}
