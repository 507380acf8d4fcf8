package org.flowwatch.flow;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.flowwatch.flow.GlobusStub.FLOW_ID;
import static org.flowwatch.flow.GlobusStub.FLOW_PATH;
import static org.flowwatch.flow.GlobusStub.flowDocument;
import static org.flowwatch.flow.GlobusStub.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.flowwatch.globus.GlobusHttp;
import org.flowwatch.globus.NotFoundException;
import org.flowwatch.globus.flows.FlowFields;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class FlowDeployerTest {
  private static final String TITLE = "Copy and check";
  private static final String STARTER = "urn:globus:groups:id:66666666-7777-8888-9999-000000000000";

  @RegisterExtension
  static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort())
      .failOnUnmatchedRequests(true).build();

  @TempDir Path dir;
  private GlobusHttp http;
  private FlowDeployer deployer;
  private FlowFields wanted;

  @BeforeEach
  void setUp() throws Exception {
    GlobusStub.stubTokens(wm);
    http = GlobusStub.http(wm);
    deployer = new FlowDeployer(GlobusStub.client(wm, http));
    Files.writeString(dir.resolve("flow.json"), BrokenDefinitionsTest.GOOD);
    Files.writeString(dir.resolve("schema.json"), BrokenDefinitionsTest.SCHEMA);
    wanted = FlowSource.read(dir.resolve("flow.json"), dir.resolve("schema.json"), null, TITLE).fields();
  }

  @AfterEach
  void close() {
    http.close();
  }

  private static JsonNode definition() {
    return json(BrokenDefinitionsTest.GOOD);
  }

  private static JsonNode schema() {
    return json(BrokenDefinitionsTest.SCHEMA);
  }

  private static void deployed(String title, JsonNode definition, List<String> starters) {
    wm.stubFor(get(urlEqualTo(FLOW_PATH)).willReturn(okJson(flowDocument(title, definition, schema(), starters))));
  }

  private static void acceptsUpdate() {
    wm.stubFor(put(urlEqualTo(FLOW_PATH)).willReturn(okJson(flowDocument(TITLE, definition(), schema(), List.of()))));
  }

  private static int writes() {
    return wm.findAll(putRequestedFor(anyUrl())).size() + wm.findAll(postRequestedFor(urlEqualTo("/flows"))).size();
  }

  @Test
  void withoutAnIdTheFlowIsCreatedWithItsTitleDefinitionAndSchema() {
    wm.stubFor(post(urlEqualTo("/flows")).willReturn(aResponse().withStatus(201)
        .withHeader("Content-Type", "application/json")
        .withBody(flowDocument(TITLE, definition(), schema(), List.of()))));

    Deployment d = deployer.deploy(null, wanted, false);

    assertEquals(Deployment.Outcome.CREATED, d.outcome());
    assertEquals(FLOW_ID, d.flow().id());
    wm.verify(1, postRequestedFor(urlEqualTo("/flows"))
        .withHeader("Authorization", equalTo("Bearer token-manage_flows"))
        .withRequestBody(equalToJson("{\"title\": \"" + TITLE + "\", \"definition\": " + definition()
            + ", \"input_schema\": " + schema() + "}")));
  }

  @Test
  void aFlowThatMatchesIsUpToDateAndNothingIsWritten() {
    // The service may return keys in another order and numbers in another form: still the same flow.
    ObjectNode reordered = json("{\"States\": " + definition().get("States") + ", \"StartAt\": \"Copy\","
        + " \"Comment\": \"Copy a directory and report\"}").deepCopy();
    ((ObjectNode) reordered.get("States").get("Copy")).put("WaitTime", 3600.0);
    deployed(TITLE, reordered, List.of());

    Deployment d = deployer.deploy(FLOW_ID, wanted, false);

    assertEquals(Deployment.Outcome.UP_TO_DATE, d.outcome());
    assertEquals(List.of(), d.changes());
    assertEquals(0, writes());
  }

  @Test
  void anUpdateSendsOnlyTheFieldsThatDiffer() {
    ObjectNode older = definition().deepCopy();
    ((ObjectNode) older.get("States").get("Copy")).put("WaitTime", 600);
    deployed("Old title", older, List.of());
    acceptsUpdate();

    Deployment d = deployer.deploy(FLOW_ID, wanted, false);

    assertEquals(Deployment.Outcome.UPDATED, d.outcome());
    assertEquals(List.of(new Change("title", "'Old title' → '" + TITLE + "'"),
        new Change("definition", "states changed Copy")), d.changes());
    wm.verify(1, putRequestedFor(urlEqualTo(FLOW_PATH))
        .withRequestBody(equalToJson("{\"title\": \"" + TITLE + "\", \"definition\": " + definition() + "}")));
    assertTrue(d.warnings().contains(FlowDeployer.RUNS_KEEP_OLD_DEFINITION), d.warnings().toString());
  }

  @Test
  void aNewActionProviderWarnsThatUsersMustConsentAgain() {
    ObjectNode older = definition().deepCopy();
    ((ObjectNode) older.get("States").get("Copy")).put("ActionUrl", "https://transfer.actions.globus.org/stat");
    deployed(TITLE, older, List.of());
    acceptsUpdate();

    Deployment d = deployer.deploy(FLOW_ID, wanted, false);

    assertTrue(d.warnings().stream().anyMatch(w -> w.contains("https://transfer.actions.globus.org/transfer")
        && w.contains("consent again")), d.warnings().toString());
  }

  @Test
  void settingsTheConfigLeavesOutAreNotTouched() throws Exception {
    wm.stubFor(get(urlEqualTo(FLOW_PATH)).willReturn(okJson(flowDocument(TITLE, definition(), schema(),
        List.of(STARTER)).replace("\"subtitle\":\"\"", "\"subtitle\":\"set in the web app\""))));

    Deployment d = deployer.deploy(FLOW_ID, wanted, false);

    assertEquals(Deployment.Outcome.UP_TO_DATE, d.outcome(), d.changes().toString());
  }

  @Test
  void principalListsAreComparedAsSets() {
    String other = "urn:globus:auth:identity:7c1f0d2a-1111-4222-8333-944455556666";
    deployed(TITLE, definition(), List.of(other, STARTER));
    FlowFields sameStarters = new FlowFields(TITLE, null, null, null, definition(), schema(), null,
        List.of(STARTER, other), null, null, null);

    assertEquals(Deployment.Outcome.UP_TO_DATE, deployer.deploy(FLOW_ID, sameStarters, false).outcome());
  }

  @Test
  void aGoneFlowIsReportedWithTheWayToCreateItAgain() {
    wm.stubFor(get(urlEqualTo(FLOW_PATH)).willReturn(aResponse().withStatus(404)
        .withHeader("Content-Type", "application/json")
        .withBody("{\"error\": {\"code\": \"NOT_FOUND\", \"detail\": \"No flow with id " + FLOW_ID + "\"}}")));

    NotFoundException e = assertThrows(NotFoundException.class, () -> deployer.deploy(FLOW_ID, wanted, false));

    assertTrue(e.getMessage().contains("gone, or not visible to this identity"), e.getMessage());
    assertTrue(e.getMessage().contains("flowwatch deploy-flow --create"), e.getMessage());
    assertEquals(0, writes());
  }

  @Test
  void createIfGoneCreatesOnlyWhenTheFlowIsReallyGone() {
    wm.stubFor(get(urlEqualTo(FLOW_PATH)).willReturn(aResponse().withStatus(404)));
    wm.stubFor(post(urlEqualTo("/flows")).willReturn(aResponse().withStatus(201)
        .withHeader("Content-Type", "application/json")
        .withBody(flowDocument(TITLE, definition(), schema(), List.of()))));

    Deployment d = deployer.deploy(FLOW_ID, wanted, true);

    assertEquals(Deployment.Outcome.CREATED, d.outcome());
    assertTrue(d.warnings().get(0).contains("gone"), d.warnings().toString());
  }

  @Test
  void createIfGoneUpdatesAFlowThatStillExistsInsteadOfDuplicatingIt() {
    deployed(TITLE, definition(), List.of());

    Deployment d = deployer.deploy(FLOW_ID, wanted, true);

    assertEquals(Deployment.Outcome.UP_TO_DATE, d.outcome());
    assertEquals(0, writes());
    assertTrue(d.warnings().get(0).contains("still exists"), d.warnings().toString());
  }

  @Test
  void aPlanReadsTheDeployedFlowAndWritesNothing() {
    deployed("Old title", definition(), List.of());

    Deployment d = deployer.plan(FLOW_ID, wanted);

    assertEquals(Deployment.Outcome.WOULD_UPDATE, d.outcome());
    assertEquals(List.of(new Change("title", "'Old title' → '" + TITLE + "'")), d.changes());
    assertEquals(0, writes());
  }

  @Test
  void aLintErrorKeepsTheFlowFromBeingDeployed() throws Exception {
    Files.writeString(dir.resolve("broken.json"), BrokenDefinitionsTest.GOOD.replace("\"Next\": \"Check\"",
        "\"Next\": \"Chek\""));

    FlowSource source = FlowSource.read(dir.resolve("broken.json"), dir.resolve("schema.json"), null, TITLE);

    assertTrue(source.lint().hasErrors());
    assertThrows(IllegalStateException.class, source::fields);
  }
}
