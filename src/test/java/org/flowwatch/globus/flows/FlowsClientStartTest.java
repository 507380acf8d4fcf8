package org.flowwatch.globus.flows;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.flowwatch.globus.Fixtures.CLIENT_ID;
import static org.flowwatch.globus.Fixtures.CLIENT_SECRET;
import static org.flowwatch.globus.Fixtures.FLOW_ID;
import static org.flowwatch.globus.Fixtures.RUN_ID;
import static org.flowwatch.globus.Fixtures.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.flowwatch.globus.AuthMode;
import org.flowwatch.globus.ConsentRequiredException;
import org.flowwatch.globus.ForbiddenException;
import org.flowwatch.globus.InvalidRequestException;
import org.flowwatch.globus.NotFoundException;
import org.flowwatch.globus.OutcomeUnknownException;
import org.flowwatch.globus.Problem;
import org.flowwatch.globus.RateLimitedException;
import org.flowwatch.globus.RetryPolicy;
import org.flowwatch.globus.ServiceUnavailableException;
import org.flowwatch.globus.auth.TestTokenManagers;
import org.junit.jupiter.api.Test;

class FlowsClientStartTest extends FlowsTestBase {

  private static final String LABEL = "run1217 · fw-3f9a2c1b";
  private static final String MONITOR = "urn:globus:auth:identity:11111111-2222-3333-4444-555555555555";
  private static final String MANAGER = "urn:globus:groups:id:66666666-7777-8888-9999-000000000000";

  private static StartRun start() throws Exception {
    return new StartRun(
        new ObjectMapper().readTree("{\"source\": {\"id\": \"COLL-A\", \"path\": \"/mnt/sci-dtn/run1217/\"}, \"segments\": 3}"),
        LABEL, List.of("e21062", "fw-3f9a2c1b"), List.of(MONITOR), List.of(MANAGER));
  }

  private static ResponseDefinitionBuilder status(int status, String fixture) {
    return aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(json(fixture));
  }

  @Test
  void startsRunWithFlowScopedTokenAndTheDocumentedBody() throws Exception {
    wm.stubFor(post(urlEqualTo(START_PATH))
        .withHeader("Authorization", equalTo("Bearer " + USER_FLOW_TOKEN))
        .withHeader("Content-Type", containing("application/json"))
        .withHeader("User-Agent", equalTo("flowwatch/dev"))
        .withRequestBody(equalToJson("{\"body\": {\"source\": {\"id\": \"COLL-A\", \"path\": \"/mnt/sci-dtn/run1217/\"},"
            + " \"segments\": 3}, \"label\": \"" + LABEL + "\", \"tags\": [\"e21062\", \"fw-3f9a2c1b\"],"
            + " \"run_monitors\": [\"" + MONITOR + "\"], \"run_managers\": [\"" + MANAGER + "\"]}"))
        .willReturn(status(201, "flows/run-started.json")));

    FlowRun run = flows.startRun(FLOW_ID, START_SCOPE, start());

    assertEquals(RUN_ID, run.runId());
    assertEquals(FLOW_ID, run.flowId());
    assertEquals("ACTIVE", run.status());
    assertEquals(LABEL, run.label());
    assertEquals(List.of("e21062", "fw-3f9a2c1b"), run.tags());
    assertEquals(Instant.parse("2026-01-02T04:00:00Z"), run.startTime());
    assertEquals("FlowStarting", run.detailsCode());
    assertFalse(run.isFinal());
  }

  @Test
  void startIsNotRetriedAfter502() {
    wm.stubFor(post(urlEqualTo(START_PATH)).willReturn(status(502, "flows/error-service-unavailable.json")));

    OutcomeUnknownException e = assertThrows(OutcomeUnknownException.class, () -> flows.startRun(FLOW_ID, START_SCOPE, start()));

    wm.verify(1, postRequestedFor(urlEqualTo(START_PATH)));
    assertTrue(sleeps.isEmpty());
    assertEquals(LABEL, e.label());
    assertTrue(e.getMessage().contains("look for a run labelled '" + LABEL + "'"), e.getMessage());
    assertTrue(e.getMessage().contains("HTTP 502"), e.getMessage());
  }

  @Test
  void startIsNotRetriedAfterTheConnectionIsReset() {
    wm.stubFor(post(urlEqualTo(START_PATH)).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));

    assertThrows(OutcomeUnknownException.class, () -> flows.startRun(FLOW_ID, START_SCOPE, start()));

    wm.verify(1, postRequestedFor(urlEqualTo(START_PATH)));
  }

  @Test
  void startThatTimesOutHasAnUnknownOutcome() {
    wm.stubFor(post(urlEqualTo(START_PATH)).willReturn(status(201, "flows/run-started.json").withFixedDelay(1500)));
    FlowsClient impatient = flowsAt(wm.baseUrl(), Duration.ofMillis(300));

    OutcomeUnknownException e = assertThrows(OutcomeUnknownException.class,
        () -> impatient.startRun(FLOW_ID, START_SCOPE, start()));

    assertTrue(e.getMessage().contains("it did not answer in time"), e.getMessage());
    wm.verify(1, postRequestedFor(urlEqualTo(START_PATH)));
  }

  @Test
  void startAgainstAnUnreachableServiceSaysNoRunWasStarted() throws Exception {
    FlowsClient unreachable = flowsAt(closedPortUrl(), Duration.ofSeconds(2));

    ServiceUnavailableException e = assertThrows(ServiceUnavailableException.class,
        () -> unreachable.startRun(FLOW_ID, START_SCOPE, start()));

    assertTrue(e.nothingSent());
    assertTrue(e.getMessage().contains("nothing was started"), e.getMessage());
    assertTrue(sleeps.isEmpty());
  }

  @Test
  void rateLimitedStartIsNotRetriedAndCarriesRetryAfter() {
    wm.stubFor(post(urlEqualTo(START_PATH)).willReturn(aResponse().withStatus(429).withHeader("Retry-After", "30")));

    RateLimitedException e = assertThrows(RateLimitedException.class, () -> flows.startRun(FLOW_ID, START_SCOPE, start()));

    assertEquals(Duration.ofSeconds(30), e.retryAfter().orElseThrow());
    wm.verify(1, postRequestedFor(urlEqualTo(START_PATH)));
    assertTrue(sleeps.isEmpty());
  }

  @Test
  void startIsSentOnceMoreWithARefreshedTokenAfter401() throws Exception {
    wm.stubFor(post(urlEqualTo(START_PATH)).withHeader("Authorization", equalTo("Bearer " + USER_FLOW_TOKEN))
        .willReturn(status(401, "flows/error-authentication.json")));
    wm.stubFor(post(urlEqualTo(TOKEN_PATH)).withFormParam("refresh_token", equalTo("AgR-user-flow"))
        .willReturn(okJson(json("auth/token-refresh-flow.json"))));
    wm.stubFor(post(urlEqualTo(START_PATH)).withHeader("Authorization", equalTo("Bearer AgX-refreshed-flow-token"))
        .willReturn(status(201, "flows/run-started.json")));

    assertEquals(RUN_ID, flows.startRun(FLOW_ID, START_SCOPE, start()).runId());

    wm.verify(2, postRequestedFor(urlEqualTo(START_PATH)));
  }

  @Test
  void inputRejectedBySchemaIsAnInvalidRequest() {
    wm.stubFor(post(urlEqualTo(START_PATH)).willReturn(status(400, "flows/error-flow-input.json")));

    InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> flows.startRun(FLOW_ID, START_SCOPE, start()));

    assertEquals(List.of(new Problem("", "'source' is a required property")), e.problems());
    assertTrue(e.getMessage().contains("400 FLOW_INPUT_ERROR: 'source' is a required property"), e.getMessage());
    assertTrue(e.getMessage().contains("debug_id 1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d"), e.getMessage());
    assertTrue(e.getMessage().contains("input schema"), e.getMessage());
  }

  @Test
  void unprocessableStartListsEveryProblemWithItsLocation() {
    wm.stubFor(post(urlEqualTo(START_PATH)).willReturn(status(422, "flows/error-unprocessable.json")));

    InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> flows.startRun(FLOW_ID, START_SCOPE, start()));

    assertEquals(List.of(
        new Problem("body.tags.0", "ensure this value has at most 256 characters"),
        new Problem("body.run_monitors.1", "value is not a valid principal URN")), e.problems());
    assertTrue(e.getMessage().contains("body.tags.0: ensure this value has at most 256 characters;"
        + " body.run_monitors.1: value is not a valid principal URN"), e.getMessage());
  }

  @Test
  void missingFlowScopeAsksTheUserToLogInForTheWholeStartScope() {
    wm.stubFor(post(urlEqualTo(START_PATH)).willReturn(status(403, "flows/error-missing-scope.json")));

    ConsentRequiredException e = assertThrows(ConsentRequiredException.class, () -> flows.startRun(FLOW_ID, START_SCOPE, start()));

    // Flows names the bare flow scope; logging in for it alone would drop the data_access dependency.
    assertEquals(List.of(START_SCOPE), e.requiredScopes());
    assertEquals(AuthMode.USER, e.mode());
    assertEquals("flowwatch login --scope '" + START_SCOPE + "'", e.loginCommand());
    assertTrue(e.getMessage().contains("flowwatch login --scope '" + START_SCOPE + "'"), e.getMessage());
  }

  @Test
  void consentMissingForAClientSaysWhatTheClientMustRequest() throws Exception {
    wm.stubFor(post(urlEqualTo(TOKEN_PATH)).withFormParam("scope", equalTo(START_SCOPE))
        .willReturn(okJson(json("auth/token-client-credentials.json"))));
    wm.stubFor(post(urlEqualTo(START_PATH)).withHeader("Authorization", equalTo("Bearer AgX-client-flow-token"))
        .willReturn(status(403, "flows/error-consent-gare.json")));
    FlowsClient asClient = new FlowsClient(open(wm.baseUrl(), Duration.ofSeconds(5)),
        TestTokenManagers.forClient(CLIENT_ID, CLIENT_SECRET, auth, clock), RetryPolicy.DEFAULT, sleeps::add);

    ConsentRequiredException e = assertThrows(ConsentRequiredException.class, () -> asClient.startRun(FLOW_ID, START_SCOPE, start()));

    assertEquals(AuthMode.CLIENT, e.mode());
    assertEquals(List.of(START_SCOPE), e.requiredScopes());
    assertTrue(e.getMessage().contains("confidential client"), e.getMessage());
    assertTrue(e.getMessage().contains(CLIENT_ID + "@clients.auth.globus.org"), e.getMessage());
    assertTrue(e.getMessage().contains("'" + START_SCOPE + "'"), e.getMessage());
    assertTrue(e.getMessage().contains("aB3dE"), e.getMessage());
  }

  @Test
  void identityThatMayNotStartTheFlowIsForbidden() {
    wm.stubFor(post(urlEqualTo(START_PATH)).willReturn(status(403, "flows/error-forbidden.json")));

    ForbiddenException e = assertThrows(ForbiddenException.class, () -> flows.startRun(FLOW_ID, START_SCOPE, start()));

    assertTrue(e.getMessage().contains("403 FORBIDDEN: Caller is not allowed"), e.getMessage());
    assertTrue(e.getMessage().contains("flow_starters"), e.getMessage());
    assertTrue(e.getMessage().contains("debug_id 41267e70-6788-4316-8b67-df7160166466"), e.getMessage());
  }

  @Test
  void unknownFlowIsNotFound() {
    wm.stubFor(post(urlEqualTo(START_PATH)).willReturn(status(404, "flows/error-not-found.json")));

    NotFoundException e = assertThrows(NotFoundException.class, () -> flows.startRun(FLOW_ID, START_SCOPE, start()));

    assertTrue(e.getMessage().startsWith("Tried to start a run of flow " + FLOW_ID + " labelled '" + LABEL + "'"),
        e.getMessage());
    assertTrue(e.getMessage().contains("does not exist, or is not visible to this identity"), e.getMessage());
  }
}
