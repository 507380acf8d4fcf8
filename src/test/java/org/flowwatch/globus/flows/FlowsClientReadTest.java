package org.flowwatch.globus.flows;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.flowwatch.globus.Fixtures.FLOW_ID;
import static org.flowwatch.globus.Fixtures.RUN_ID;
import static org.flowwatch.globus.Fixtures.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.flowwatch.globus.AuthenticationException;
import org.flowwatch.globus.NotFoundException;
import org.flowwatch.globus.RateLimitedException;
import org.flowwatch.globus.RetryPolicy;
import org.flowwatch.globus.ServiceUnavailableException;
import org.flowwatch.testing.LogCapture;
import org.junit.jupiter.api.Test;

class FlowsClientReadTest extends FlowsTestBase {

  private static ResponseDefinitionBuilder status(int status, String fixture) {
    return aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(json(fixture));
  }

  @Test
  void startsWithTheFlowTokenAndReadsWithTheFlowsServiceToken() throws Exception {
    wm.stubFor(post(urlEqualTo(START_PATH)).willReturn(status(201, "flows/run-started.json")));
    wm.stubFor(get(urlEqualTo(RUN_PATH)).willReturn(okJson(json("flows/run-succeeded.json"))));

    flows.startRun(FLOW_ID, START_SCOPE, new StartRun(new ObjectMapper().readTree("{}"), "l", null, null, null));
    flows.getRun(RUN_ID);

    String startBearer = wm.findAll(postRequestedFor(urlEqualTo(START_PATH))).get(0).getHeader("Authorization");
    String readBearer = wm.findAll(getRequestedFor(urlEqualTo(RUN_PATH))).get(0).getHeader("Authorization");
    assertEquals("Bearer " + USER_FLOW_TOKEN, startBearer);
    assertEquals("Bearer " + USER_FLOWS_TOKEN, readBearer);
    assertNotEquals(startBearer, readBearer);
  }

  @Test
  void readsAFinishedRunWithItsTimesAndOutcome() {
    wm.stubFor(get(urlEqualTo(RUN_PATH)).withHeader("Authorization", equalTo("Bearer " + USER_FLOWS_TOKEN))
        .willReturn(okJson(json("flows/run-succeeded.json"))));

    FlowRun run = flows.getRun(RUN_ID);

    assertTrue(run.isFinal());
    assertTrue(run.isSucceeded());
    assertEquals(Instant.parse("2026-01-02T04:00:00.683Z"), run.startTime());
    assertEquals(Instant.parse("2026-01-02T05:30:12Z"), run.completionTime());
    assertEquals("FlowSucceeded", run.detailsCode());
    assertEquals("SUCCEEDED", run.details().at("/output/sorted/status").asText());
    assertEquals(null, run.requiredScope());
  }

  @Test
  void readIsRetriedWhenTheServiceFailsTwiceThenSucceeds() {
    wm.stubFor(get(urlEqualTo(RUN_PATH)).inScenario("fails twice then succeeds").whenScenarioStateIs(STARTED)
        .willReturn(status(502, "flows/error-service-unavailable.json")).willSetStateTo("failed once"));
    wm.stubFor(get(urlEqualTo(RUN_PATH)).inScenario("fails twice then succeeds").whenScenarioStateIs("failed once")
        .willReturn(status(502, "flows/error-service-unavailable.json")).willSetStateTo("failed twice"));
    wm.stubFor(get(urlEqualTo(RUN_PATH)).inScenario("fails twice then succeeds").whenScenarioStateIs("failed twice")
        .willReturn(okJson(json("flows/run-succeeded.json"))));

    assertTrue(flows.getRun(RUN_ID).isSucceeded());

    wm.verify(3, getRequestedFor(urlEqualTo(RUN_PATH)));
    assertEquals(2, sleeps.size());
    assertBetween(Duration.ofMillis(250), Duration.ofMillis(500), sleeps.get(0));
    assertBetween(Duration.ofMillis(500), Duration.ofMillis(1000), sleeps.get(1));
  }

  @Test
  void readWaitsTheRetryAfterOfA429() {
    wm.stubFor(get(urlEqualTo(RUN_PATH)).inScenario("rate limited").whenScenarioStateIs(STARTED)
        .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "7")).willSetStateTo("allowed"));
    wm.stubFor(get(urlEqualTo(RUN_PATH)).inScenario("rate limited").whenScenarioStateIs("allowed")
        .willReturn(okJson(json("flows/run-succeeded.json"))));

    flows.getRun(RUN_ID);

    assertEquals(List.of(Duration.ofSeconds(7)), sleeps);
  }

  @Test
  void readGivesUpAfterSixAttempts() {
    wm.stubFor(get(urlEqualTo(RUN_PATH)).willReturn(status(503, "flows/error-service-unavailable.json")));

    ServiceUnavailableException e = assertThrows(ServiceUnavailableException.class, () -> flows.getRun(RUN_ID));

    wm.verify(6, getRequestedFor(urlEqualTo(RUN_PATH)));
    assertEquals(5, sleeps.size());
    sleeps.forEach(wait -> assertBetween(Duration.ZERO, Duration.ofSeconds(10), wait));
    assertTrue(e.getMessage().contains("gave up after 6 attempts"), e.getMessage());
    assertTrue(e.getMessage().contains("503 SERVICE_UNAVAILABLE"), e.getMessage());
  }

  @Test
  void readStillRateLimitedAfterSixAttemptsSaysSo() {
    wm.stubFor(get(urlEqualTo(RUN_PATH)).willReturn(aResponse().withStatus(429).withHeader("Retry-After", "2")));

    RateLimitedException e = assertThrows(RateLimitedException.class, () -> flows.getRun(RUN_ID));

    assertTrue(e.getMessage().contains("gave up after 6 attempts"), e.getMessage());
    assertEquals(Duration.ofSeconds(2), e.retryAfter().orElseThrow());
    assertEquals(List.of(Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(2),
        Duration.ofSeconds(2)), sleeps);
  }

  @Test
  void retryAfterLongerThanAMinuteIsLeftToTheCaller() {
    wm.stubFor(get(urlEqualTo(RUN_PATH)).willReturn(aResponse().withStatus(429).withHeader("Retry-After", "3600")));

    RateLimitedException e = assertThrows(RateLimitedException.class, () -> flows.getRun(RUN_ID));

    assertEquals(Duration.ofHours(1), e.retryAfter().orElseThrow());
    assertTrue(sleeps.isEmpty());
    wm.verify(1, getRequestedFor(urlEqualTo(RUN_PATH)));
  }

  @Test
  void readRenewsTheTokenOnceAfter401() {
    wm.stubFor(get(urlEqualTo(RUN_PATH)).withHeader("Authorization", equalTo("Bearer " + USER_FLOWS_TOKEN))
        .willReturn(status(401, "flows/error-authentication.json")));
    wm.stubFor(post(urlEqualTo(TOKEN_PATH)).withFormParam("refresh_token", equalTo("AgR-user-flows"))
        .willReturn(okJson(json("auth/token-refresh-flows.json"))));
    wm.stubFor(get(urlEqualTo(RUN_PATH)).withHeader("Authorization", equalTo("Bearer AgX-refreshed-flows-service-token"))
        .willReturn(okJson(json("flows/run-succeeded.json"))));

    assertTrue(flows.getRun(RUN_ID).isSucceeded());

    wm.verify(2, getRequestedFor(urlEqualTo(RUN_PATH)));
    wm.verify(1, postRequestedFor(urlEqualTo(TOKEN_PATH)));
    assertTrue(sleeps.isEmpty());
  }

  @Test
  void readRejectedAgainAfterRenewalIsAnAuthenticationError() {
    wm.stubFor(get(urlEqualTo(RUN_PATH)).willReturn(status(401, "flows/error-authentication.json")));
    wm.stubFor(post(urlEqualTo(TOKEN_PATH)).willReturn(okJson(json("auth/token-refresh-flows.json"))));

    AuthenticationException e = assertThrows(AuthenticationException.class, () -> flows.getRun(RUN_ID));

    wm.verify(2, getRequestedFor(urlEqualTo(RUN_PATH)));
    assertTrue(e.getMessage().contains("401 AUTHENTICATION_ERROR: Expired or invalid Bearer token"), e.getMessage());
    assertTrue(e.getMessage().contains("run 'flowwatch login'"), e.getMessage());
  }

  @Test
  void unknownRunIsNotFound() {
    wm.stubFor(get(urlEqualTo(RUN_PATH)).willReturn(status(404, "flows/error-not-found.json")));

    NotFoundException e = assertThrows(NotFoundException.class, () -> flows.getRun(RUN_ID));

    assertTrue(e.getMessage().startsWith("Tried to get the status of flow run " + RUN_ID), e.getMessage());
    wm.verify(1, getRequestedFor(urlEqualTo(RUN_PATH)));
  }

  @Test
  void readFromAnUnreachableServiceGivesUpAfterRetrying() throws Exception {
    FlowsClient unreachable = flowsAt(closedPortUrl(), Duration.ofSeconds(2));

    ServiceUnavailableException e;
    List<String> retries;
    try (LogCapture logs = new LogCapture()) {
      e = assertThrows(ServiceUnavailableException.class, () -> unreachable.getRun(RUN_ID));
      retries = logs.lines().stream().filter(l -> l.contains("retry")).toList();
    }

    assertEquals(5, sleeps.size());
    // One line per retry, naming the service and the cause in words.
    assertEquals(5, retries.size(), String.join("\n", retries));
    for (int i = 0; i < 5; i++) {
      assertTrue(retries.get(i).matches("WARN the Flows service: the connection was refused .*; retry " + (i + 1)
          + " of 5 in [0-9.]+ m?s"), retries.get(i));
    }
    assertTrue(e.getMessage().contains("gave up after 6 attempts"), e.getMessage());
    assertTrue(e.getMessage().contains("the connection was refused"), e.getMessage());
  }

  @Test
  void inactiveRunNamesTheScopeItWaitsFor() {
    wm.stubFor(get(urlEqualTo(RUN_PATH)).willReturn(okJson(json("flows/run-inactive-consent.json"))));

    FlowRun run = flows.getRun(RUN_ID);

    String expected = FLOW_SCOPE + "[urn:globus:auth:scope:transfer.api.globus.org:all["
        + "*https://auth.globus.org/scopes/6c54cade-bde5-45c1-bdd4-8f9a1a1a1a1a/data_access]]";
    assertTrue(run.isInactive());
    assertEquals("ConsentRequired", run.detailsCode());
    assertEquals(expected, run.requiredScope());
    assertEquals(expected, run.consentScope(FLOW_SCOPE));
  }

  @Test
  void actionLevelRequiredScopeIsWrappedInTheFlowScope() {
    wm.stubFor(get(urlEqualTo(RUN_PATH)).willReturn(okJson(json("flows/run-inactive-nested-consent.json"))));

    FlowRun run = flows.getRun(RUN_ID);

    String nested = "urn:globus:auth:scope:transfer.api.globus.org:all["
        + "*https://auth.globus.org/scopes/6c54cade-bde5-45c1-bdd4-8f9a1a1a1a1a/data_access]";
    assertEquals(nested, run.requiredScope());
    assertEquals(FLOW_SCOPE + "[" + nested + "]", run.consentScope(FLOW_SCOPE));
  }

  @Test
  void listsRunsAcrossThreePagesSendingOnlyTheMarkerAfterTheFirst() {
    wm.stubFor(get(urlPathEqualTo("/runs"))
        .withQueryParam("filter_flow_id", equalTo(FLOW_ID.toString()))
        .withQueryParam("filter_label", equalTo("fw-"))
        .withQueryParam("marker", absent())
        .withHeader("Authorization", equalTo("Bearer " + USER_FLOWS_TOKEN))
        .willReturn(okJson(json("flows/runs-page-1.json"))));
    wm.stubFor(get(urlEqualTo("/runs?marker=m-page-2")).willReturn(okJson(json("flows/runs-page-2.json"))));
    wm.stubFor(get(urlEqualTo("/runs?marker=m-page-3")).willReturn(okJson(json("flows/runs-page-3.json"))));

    List<FlowRun> runs = flows.listRuns(FLOW_ID, "fw-");

    assertEquals(List.of("run1211 · fw-00000001", "run1212 · fw-00000002", "run1213 · fw-00000003"),
        runs.stream().map(FlowRun::label).toList());
    assertEquals(UUID.fromString("36ad9f9a-ad29-488f-beb4-c22ab7296403"), runs.get(2).runId());
    wm.verify(3, getRequestedFor(urlPathEqualTo("/runs")));
    wm.verify(3, getRequestedFor(urlPathEqualTo("/runs")).withHeader("Authorization", equalTo("Bearer " + USER_FLOWS_TOKEN)));
  }

  @Test
  void listsTheRunsThatEndedSinceAMomentWithTheHalfOpenCompletionFilter() {
    wm.stubFor(get(urlPathEqualTo("/runs"))
        .withQueryParam("filter_flow_id", equalTo(FLOW_ID.toString()))
        .withQueryParam("filter_status", equalTo("SUCCEEDED,FAILED,ENDED"))
        .withQueryParam("filter_completion_time", equalTo("2026-01-02T03:00:00Z,"))
        .withQueryParam("filter_label", absent())
        .willReturn(okJson(json("flows/runs-page-3.json"))));

    List<FlowRun> runs = flows.listRuns(FLOW_ID, null, "SUCCEEDED,FAILED,ENDED",
        java.time.Instant.parse("2026-01-02T03:00:00Z"));

    assertEquals(List.of("run1213 · fw-00000003"), runs.stream().map(FlowRun::label).toList());
  }

  private static void assertBetween(Duration low, Duration high, Duration actual) {
    assertTrue(actual.compareTo(low) >= 0 && actual.compareTo(high) <= 0, actual + " not in [" + low + ", " + high + "]");
  }

  @Test
  void aHungServiceIsGivenUpOnWithinTheCallBudgetNotAfterEveryRetry() {
    wm.stubFor(get(urlEqualTo(RUN_PATH)).willReturn(okJson("{}").withFixedDelay(5000)));
    RetryPolicy budget = new RetryPolicy(5, Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMinutes(1),
        Duration.ofMillis(1500));
    FlowsClient patient = new FlowsClient(open(wm.baseUrl(), Duration.ofSeconds(30)), userTokens(), budget, sleeps::add);
    long started = System.nanoTime();

    ServiceUnavailableException e = assertThrows(ServiceUnavailableException.class, () -> patient.getRun(RUN_ID));

    Duration took = Duration.ofNanos(System.nanoTime() - started);
    // Without the budget, one 30 s attempt alone would outlast it: the whole call must end with it.
    assertTrue(took.compareTo(Duration.ofMillis(3000)) < 0, "took " + took);
    assertTrue(e.getMessage().contains("it did not answer in time"), e.getMessage());
  }
}
