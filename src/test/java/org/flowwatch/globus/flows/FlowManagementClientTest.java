package org.flowwatch.globus.flows;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.flowwatch.globus.Fixtures.CLIENT_ID;
import static org.flowwatch.globus.Fixtures.CLIENT_SECRET;
import static org.flowwatch.globus.Fixtures.FLOW_ID;
import static org.flowwatch.globus.Fixtures.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import java.util.List;
import java.util.Map;
import org.flowwatch.globus.ForbiddenException;
import org.flowwatch.globus.NotFoundException;
import org.flowwatch.globus.OutcomeUnknownException;
import org.flowwatch.globus.Problem;
import org.flowwatch.globus.RetryPolicy;
import org.flowwatch.globus.auth.Scopes;
import org.flowwatch.globus.auth.TestTokenManagers;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FlowManagementClientTest extends FlowsTestBase {

  private static final String FLOWS_PATH = "/flows";
  private static final String FLOW_PATH = "/flows/" + FLOW_ID;
  private static final String VALIDATE_PATH = "/flows/validate";
  private static final String STARTERS = "urn:globus:groups:id:66666666-7777-8888-9999-000000000000";
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private FlowManagementClient client;

  @BeforeEach
  void openClient() {
    client = new FlowManagementClient(open(wm.baseUrl(), java.time.Duration.ofSeconds(5)), userTokens(),
        RetryPolicy.DEFAULT, sleeps::add);
  }

  private static ResponseDefinitionBuilder status(int status, String fixture) {
    return aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(json(fixture));
  }

  private static JsonNode deployedDefinition() throws Exception {
    return MAPPER.readTree(json("flows/flow-created.json")).get("definition");
  }

  private static FlowFields newFlow() throws Exception {
    return new FlowFields("FRIB-NERSC-Analysis-Pipeline", null, null, null, deployedDefinition(),
        MAPPER.readTree("{\"type\": \"object\"}"), null, List.of(STARTERS), null, null, null);
  }

  @Test
  void createsAFlowWithTheFlowsServiceTokenSendingOnlyTheFieldsThatAreSet() throws Exception {
    wm.stubFor(post(urlEqualTo(FLOWS_PATH)).withHeader("Authorization", equalTo("Bearer " + USER_FLOWS_TOKEN))
        .willReturn(status(201, "flows/flow-created.json")));

    DeployedFlow flow = client.create(newFlow());

    assertEquals(FLOW_ID, flow.id());
    assertEquals(Scopes.flowUserScope(FLOW_ID), flow.startScope());
    assertEquals(List.of(STARTERS), flow.flowStarters());
    assertEquals(List.of("flow_owner"), flow.userRoles());
    wm.verify(1, postRequestedFor(urlEqualTo(FLOWS_PATH)).withRequestBody(equalToJson(
        "{\"title\": \"FRIB-NERSC-Analysis-Pipeline\", \"definition\": " + deployedDefinition()
            + ", \"input_schema\": {\"type\": \"object\"}, \"flow_starters\": [\"" + STARTERS + "\"]}")));
  }

  @Test
  void createIsSentOnceWhenTheServiceFails() {
    wm.stubFor(post(urlEqualTo(FLOWS_PATH)).willReturn(status(502, "flows/error-service-unavailable.json")));

    OutcomeUnknownException e = assertThrows(OutcomeUnknownException.class, () -> client.create(newFlow()));

    wm.verify(1, postRequestedFor(urlEqualTo(FLOWS_PATH)));
    assertTrue(sleeps.isEmpty());
    assertTrue(e.getMessage().startsWith("Tried to create the flow 'FRIB-NERSC-Analysis-Pipeline'"), e.getMessage());
    assertTrue(e.getMessage().contains("may or may not have been created"), e.getMessage());
    assertFalse(e.getMessage().contains("run"), "a flow create must not talk about runs: " + e.getMessage());
  }

  @Test
  void readIsRetriedAfterATransientFailure() throws Exception {
    wm.stubFor(get(urlEqualTo(FLOW_PATH)).inScenario("flaky").whenScenarioStateIs(STARTED)
        .willReturn(status(503, "flows/error-service-unavailable.json")).willSetStateTo("recovered"));
    wm.stubFor(get(urlEqualTo(FLOW_PATH)).inScenario("flaky").whenScenarioStateIs("recovered")
        .willReturn(okJson(json("flows/flow-created.json"))));

    DeployedFlow flow = client.get(FLOW_ID);

    assertEquals(deployedDefinition(), flow.definition());
    assertEquals("FRIB-NERSC-Analysis-Pipeline", flow.title());
    assertEquals("", flow.subtitle());
    wm.verify(2, getRequestedFor(urlEqualTo(FLOW_PATH)));
    assertEquals(1, sleeps.size());
  }

  @Test
  void missingFlowIsNotFound() {
    wm.stubFor(get(urlEqualTo(FLOW_PATH)).willReturn(status(404, "flows/error-not-found.json")));

    NotFoundException e = assertThrows(NotFoundException.class, () -> client.get(FLOW_ID));

    assertTrue(e.getMessage().contains("Tried to read flow " + FLOW_ID), e.getMessage());
    assertTrue(e.getMessage().contains("NOT_FOUND"), e.getMessage());
  }

  @Test
  void updateSendsOnlyTheChangedFields() {
    wm.stubFor(put(urlEqualTo(FLOW_PATH)).willReturn(okJson(json("flows/flow-created.json"))));

    client.update(FLOW_ID, new FlowFields("New title", null, null, null, null, null, null, null, null, null,
        List.of()));

    wm.verify(1, putRequestedFor(urlEqualTo(FLOW_PATH))
        .withHeader("Authorization", equalTo("Bearer " + USER_FLOWS_TOKEN))
        .withRequestBody(equalToJson("{\"title\": \"New title\", \"run_monitors\": []}")));
  }

  @Test
  void updateKeepsNullsInsideTheDefinition() throws Exception {
    wm.stubFor(put(urlEqualTo(FLOW_PATH)).willReturn(okJson(json("flows/flow-created.json"))));
    JsonNode definition = MAPPER.readTree("{\"StartAt\": \"P\", \"States\": {\"P\": {\"Type\": \"Pass\","
        + " \"Result\": {\"nothing\": null}, \"ResultPath\": \"$.p\", \"End\": true}}}");

    client.update(FLOW_ID, new FlowFields(null, null, null, null, definition, null, null, null, null, null, null));

    wm.verify(1, putRequestedFor(urlEqualTo(FLOW_PATH))
        .withRequestBody(equalToJson("{\"definition\": " + definition + "}")));
  }

  @Test
  void forbiddenUpdateSaysWhoMayChangeTheFlow() {
    wm.stubFor(put(urlEqualTo(FLOW_PATH)).willReturn(status(403, "flows/error-forbidden-update.json")));

    ForbiddenException e = assertThrows(ForbiddenException.class, () -> client.update(FLOW_ID,
        new FlowFields("x", null, null, null, null, null, null, null, null, null, null)));

    assertTrue(e.getMessage().contains("Tried to update title of flow " + FLOW_ID), e.getMessage());
    assertTrue(e.getMessage().contains("flow_administrators"), e.getMessage());
    wm.verify(1, putRequestedFor(urlEqualTo(FLOW_PATH)));
  }

  @Test
  void anUpdateThatChangesNothingIsRefusedBeforeSending() {
    assertThrows(IllegalArgumentException.class, () -> client.update(FLOW_ID, FlowFields.NONE));
    assertEquals(0, wm.getAllServeEvents().size());
  }

  @Test
  void validationAcceptanceListsTheScopesTheFlowNeeds() throws Exception {
    wm.stubFor(post(urlEqualTo(VALIDATE_PATH)).willReturn(okJson(json("flows/flow-validated.json"))));

    FlowValidation v = client.validate(deployedDefinition(), null);

    assertTrue(v.accepted());
    assertEquals(Map.of("User", List.of(Scopes.TRANSFER_SCOPE)), v.scopes());
    wm.verify(1, postRequestedFor(urlEqualTo(VALIDATE_PATH))
        .withRequestBody(equalToJson("{\"definition\": " + deployedDefinition() + "}")));
  }

  @Test
  void validationRejectionIsAResultWithTheServicesObjections() throws Exception {
    wm.stubFor(post(urlEqualTo(VALIDATE_PATH)).willReturn(status(422, "flows/error-flow-definition.json")));

    FlowValidation v = client.validate(deployedDefinition(), MAPPER.readTree("{}"));

    assertFalse(v.accepted());
    assertEquals(new Problem("definition.States.Transfer.ActionUrl",
        "ActionUrl https://actions.globus.org/transfer/transfer is not a known action provider"), v.problems().get(0));
    assertEquals(2, v.problems().size());
    assertTrue(v.summary().contains("debug_id 5c6d7e8f"), v.summary());
  }

  @Test
  void aConfidentialClientAsksForViewFlowsToReadAndManageFlowsToWrite() {
    wm.stubFor(post(urlEqualTo(TOKEN_PATH)).withRequestBody(containing("view_flows"))
        .willReturn(okJson(json("auth/token-client-credentials-view-flows.json"))));
    wm.stubFor(post(urlEqualTo(TOKEN_PATH)).withRequestBody(containing("manage_flows"))
        .willReturn(okJson(json("auth/token-client-credentials-manage-flows.json"))));
    wm.stubFor(get(urlEqualTo(FLOW_PATH)).withHeader("Authorization", equalTo("Bearer AgX-client-view-flows-token"))
        .willReturn(okJson(json("flows/flow-created.json"))));
    wm.stubFor(put(urlEqualTo(FLOW_PATH))
        .withHeader("Authorization", equalTo("Bearer AgX-client-manage-flows-token"))
        .willReturn(okJson(json("flows/flow-created.json"))));
    FlowManagementClient asClient = new FlowManagementClient(open(wm.baseUrl(), java.time.Duration.ofSeconds(5)),
        TestTokenManagers.forClient(CLIENT_ID, CLIENT_SECRET, auth, clock), RetryPolicy.DEFAULT, sleeps::add);

    asClient.get(FLOW_ID);
    asClient.update(FLOW_ID, new FlowFields("x", null, null, null, null, null, null, null, null, null, null));

    wm.verify(1, getRequestedFor(urlEqualTo(FLOW_PATH)));
    wm.verify(1, putRequestedFor(urlEqualTo(FLOW_PATH)));
  }
}
