package org.flowwatch.cli;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
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
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.flowwatch.cli.DeployFixture.FLOW_ID;
import static org.flowwatch.cli.DeployFixture.flowDocument;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import java.io.BufferedReader;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** deploy-flow through the CLI factory against a WireMock Flows service: the whole life of one flow. */
class DeployFlowCommandTest {
  private static final String FLOW_PATH = "/flows/" + FLOW_ID;
  private static final String TITLE = "Copy and report";

  @RegisterExtension
  static WireMockExtension globus = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort())
      .failOnUnmatchedRequests(true).build();

  @TempDir Path dir;
  private Path config;
  private StringWriter out;
  private StringWriter err;

  @BeforeEach
  void setUp() {
    config = DeployFixture.copyInto(dir);
    for (String scope : new String[] {"view_flows", "manage_flows"}) {
      globus.stubFor(post("/v2/oauth2/token").withRequestBody(containing(scope))
          .willReturn(okJson(DeployFixture.token(scope))));
    }
  }

  private Map<String, String> env(boolean withCredentials) {
    Map<String, String> env = new HashMap<>();
    env.put("GLOBUS_SDK_SERVICE_URL_AUTH", globus.baseUrl());
    env.put("GLOBUS_SDK_SERVICE_URL_FLOWS", globus.baseUrl());
    env.put("XDG_STATE_HOME", dir.resolve("state").toString());
    if (withCredentials) {
      env.put("GLOBUS_CLIENT_ID", DeployFixture.CLIENT_ID);
      env.put("GLOBUS_CLIENT_SECRET", DeployFixture.CLIENT_SECRET);
    }
    return env;
  }

  private int run(boolean withCredentials, String... args) {
    out = new StringWriter();
    err = new StringWriter();
    String[] all = new String[args.length + 2];
    all[0] = "--config";
    all[1] = config.toString();
    System.arraycopy(args, 0, all, 2, args.length);
    return Cli.run(all, new Terminal(new PrintWriter(out, true), new PrintWriter(err, true),
        new BufferedReader(new StringReader("")), env(withCredentials)));
  }

  private JsonNode definition() {
    return DeployFixture.read(dir.resolve("flows/copy.json"));
  }

  private JsonNode schema() {
    return DeployFixture.read(dir.resolve("schemas/copy.json"));
  }

  private static int writes() {
    return globus.findAll(putRequestedFor(anyUrl())).size()
        + globus.findAll(postRequestedFor(urlEqualTo("/flows"))).size();
  }

  /** GET /flows?filter_roles=flow_owner&filter_fulltext=TITLE answers these flows, in two pages. */
  private static void ownedFlowsTitled(String title, String... flows) {
    String first = flows.length == 0 ? "" : flows[0];
    String rest = String.join(", ", java.util.Arrays.asList(flows).subList(Math.min(1, flows.length), flows.length));
    globus.stubFor(get(urlPathEqualTo("/flows")).withQueryParam("filter_roles", equalTo("flow_owner"))
        .withQueryParam("filter_fulltext", equalTo(title))
        .willReturn(okJson("{\"flows\": [" + first + "], \"limit\": 1, \"has_next_page\": " + (flows.length > 1)
            + ", \"marker\": " + (flows.length > 1 ? "\"m2\"" : "null") + "}")));
    globus.stubFor(get(urlPathEqualTo("/flows")).withQueryParam("marker", equalTo("m2"))
        .willReturn(okJson("{\"flows\": [" + rest + "], \"limit\": 20, \"has_next_page\": false}")));
  }

  @Test
  void aSecondFlowOfTheSameTitleIsRefusedUnlessCreateIsGiven() throws Exception {
    UUID other = UUID.fromString("11111111-2222-4333-8444-555555555555");
    // The full-text filter matches substrings: a longer title on page one is not the same flow.
    ownedFlowsTitled(TITLE, "{\"id\": \"22222222-2222-4333-8444-555555555555\", \"title\": \"" + TITLE + " v2\"}",
        "{\"id\": \"" + other + "\", \"title\": \"" + TITLE + "\"}");
    globus.stubFor(post(urlEqualTo("/flows")).willReturn(aResponse().withStatus(201)
        .withHeader("Content-Type", "application/json").withBody(flowDocument(TITLE, definition(), schema()))));
    byte[] original = Files.readAllBytes(config);

    assertEquals(ExitCode.USAGE, run(true, "deploy-flow"), err::toString);
    assertTrue(err.toString().contains("already owns a flow titled '" + TITLE + "' (" + other + ")"), err.toString());
    assertTrue(err.toString().contains("--create"), err.toString());
    assertEquals(0, writes(), "nothing may be created");

    // --create makes another, and with a config file its id is saved there without --save.
    assertEquals(0, run(true, "deploy-flow", "--create"), err::toString);
    assertEquals(1, writes());
    assertTrue(Files.readString(config).contains("\n  id: " + FLOW_ID + "\n"), Files.readString(config));

    // --no-save leaves the config as it was.
    Files.write(config, original);
    assertEquals(0, run(true, "deploy-flow", "--create", "--no-save"), err::toString);
    assertArrayEquals(original, Files.readAllBytes(config));
  }

  @Test
  void createThenUpdateThenUpToDateThenGone() throws Exception {
    byte[] original = Files.readAllBytes(config);
    JsonNode firstDefinition = definition();

    // 1. No flow id anywhere, and no owned flow of that title: create, print id and scope, --save writes
    // only the id into the config.
    ownedFlowsTitled(TITLE);
    globus.stubFor(post(urlEqualTo("/flows")).willReturn(aResponse().withStatus(201)
        .withHeader("Content-Type", "application/json").withBody(flowDocument(TITLE, firstDefinition, schema()))));
    assertEquals(0, run(true, "deploy-flow", "--save"), err::toString);
    assertEquals(FLOW_ID + "\nhttps://auth.globus.org/scopes/" + FLOW_ID + "/flow_"
        + FLOW_ID.toString().replace('-', '_') + "_user\n", out.toString());
    globus.verify(1, postRequestedFor(urlEqualTo("/flows")).withRequestBody(equalToJson("{\"title\": \"" + TITLE
        + "\", \"definition\": " + firstDefinition + ", \"input_schema\": " + schema() + ", \"flow_starters\": [\""
        + DeployFixture.STARTER + "\"]}")));
    String expected = new String(original, StandardCharsets.UTF_8).replace("\nflow:\n", "\nflow:\n  id: " + FLOW_ID + "\n");
    assertArrayEquals(expected.getBytes(StandardCharsets.UTF_8), Files.readAllBytes(config),
        "--save must change nothing but the id line");

    // 2. The definition changed: only the definition is sent.
    Files.writeString(dir.resolve("flows/copy.json"),
        Files.readString(dir.resolve("flows/copy.json")).replace("\"WaitTime\": 3600", "\"WaitTime\": 7200"));
    globus.stubFor(get(urlEqualTo(FLOW_PATH)).inScenario("life").whenScenarioStateIs(Scenario.STARTED)
        .willReturn(okJson(flowDocument(TITLE, firstDefinition, schema()))).willSetStateTo("updated"));
    globus.stubFor(put(urlEqualTo(FLOW_PATH)).willReturn(okJson(flowDocument(TITLE, definition(), schema()))));
    assertEquals(0, run(true, "deploy-flow"), err::toString);
    assertEquals("changed definition: states changed Copy\n", out.toString());
    assertTrue(err.toString().contains("warning: runs already executing keep the definition"), err.toString());
    globus.verify(1, putRequestedFor(urlEqualTo(FLOW_PATH))
        .withHeader("Authorization", equalTo("Bearer token-manage_flows"))
        .withRequestBody(equalToJson("{\"definition\": " + definition() + "}")));

    // 3. Nothing changed since: up to date, and no PUT.
    globus.stubFor(get(urlEqualTo(FLOW_PATH)).inScenario("life").whenScenarioStateIs("updated")
        .willReturn(okJson(flowDocument(TITLE, definition(), schema()))).willSetStateTo("deleted"));
    assertEquals(0, run(true, "deploy-flow"), err::toString);
    assertEquals("up to date\n", out.toString());
    globus.verify(1, putRequestedFor(urlEqualTo(FLOW_PATH)));

    // 4. The flow was deleted in the web app: say so, offer --create, send nothing.
    globus.stubFor(get(urlEqualTo(FLOW_PATH)).inScenario("life").whenScenarioStateIs("deleted")
        .willReturn(aResponse().withStatus(404).withHeader("Content-Type", "application/json")
            .withBody("{\"error\": {\"code\": \"NOT_FOUND\", \"detail\": \"No flow with id " + FLOW_ID
                + " was found.\"}, \"debug_id\": \"0f1e2d3c-4b5a-4968-8776-655443322110\"}")));
    assertEquals(6, run(true, "deploy-flow"), err::toString);
    assertTrue(err.toString().contains("is gone, or not visible to this identity"), err.toString());
    assertTrue(err.toString().contains("flowwatch deploy-flow --create"), err.toString());
    assertEquals(2, writes());
    globus.verify(3, getRequestedFor(urlEqualTo(FLOW_PATH)).withHeader("Authorization",
        equalTo("Bearer token-view_flows")));
  }

  @Test
  void lintErrorsStopTheDeployBeforeAnyRequest() throws Exception {
    Files.writeString(dir.resolve("flows/copy.json"), Files.readString(dir.resolve("flows/copy.json"))
        .replace("https://transfer.actions.globus.org/transfer", "https://actions.globus.org/transfer/transfer"));

    assertEquals(4, run(true, "deploy-flow"));

    assertTrue(err.toString().contains("error FW301"), err.toString());
    assertTrue(err.toString().contains("not deploying"), err.toString());
    assertEquals(0, globus.getAllServeEvents().size());
  }

  @Test
  void dryRunWithoutCredentialsLintsAndSendsNothing() {
    assertEquals(0, run(false, "deploy-flow", "--dry-run", "--flowid", FLOW_ID.toString()));

    assertTrue(err.toString().contains("no Globus credentials"), err.toString());
    assertTrue(err.toString().contains("dry run: nothing was written"), err.toString());
    assertEquals(0, globus.getAllServeEvents().size());
  }

  @Test
  void dryRunWithCredentialsShowsTheDiffAndWritesNothing() throws Exception {
    globus.stubFor(get(urlEqualTo(FLOW_PATH)).willReturn(okJson(flowDocument("Old title", definition(), schema()))));

    assertEquals(0, run(true, "deploy-flow", "--dry-run", "--flowid", FLOW_ID.toString(), "--save"));

    assertEquals("changed title: 'Old title' → 'Copy and report'\n", out.toString());
    assertEquals(0, writes());
    assertTrue(err.toString().contains("flow.id is not saved"), err.toString());
    assertTrue(!Files.readString(config).contains(FLOW_ID.toString()));
  }

  @Test
  void dryRunCanAskTheServiceToValidateToo() {
    globus.stubFor(get(urlEqualTo(FLOW_PATH)).willReturn(okJson(flowDocument(TITLE, definition(), schema()))));
    globus.stubFor(post(urlEqualTo("/flows/validate")).willReturn(aResponse().withStatus(422)
        .withHeader("Content-Type", "application/json")
        .withBody("{\"error\": {\"code\": \"UNPROCESSABLE_ENTITY\", \"detail\": [{\"loc\": [\"definition\","
            + " \"States\", \"Copy\", \"WaitTime\"], \"msg\": \"too long\", \"type\": \"value_error\"}]}}")));

    assertEquals(0, run(true, "deploy-flow", "--dry-run", "--flowid", FLOW_ID.toString(), "--server-validate"));

    assertTrue(out.toString().contains("up to date\n"), out.toString());
    assertTrue(out.toString().contains(dir.resolve("flows/copy.json") + ":14:7: globus /States/Copy/WaitTime: too long"),
        out.toString());
    assertTrue(err.toString().contains("the Flows service rejects the flow"), err.toString());
  }

  @Test
  void createOnAGoneFlowMakesANewOneAndSaveReplacesTheOldId() throws Exception {
    String gone = "babd88e5-d31d-48c7-b3a0-b765389b5c22";
    Files.writeString(config, Files.readString(config).replace("\nflow:\n", "\nflow:\n  id: " + gone + "\n"));
    byte[] before = Files.readAllBytes(config);
    globus.stubFor(get(urlEqualTo("/flows/" + gone)).willReturn(aResponse().withStatus(404)));
    globus.stubFor(post(urlEqualTo("/flows")).willReturn(aResponse().withStatus(201)
        .withHeader("Content-Type", "application/json").withBody(flowDocument(TITLE, definition(), schema()))));

    assertEquals(0, run(true, "deploy-flow", "--create", "--save"), err::toString);

    assertTrue(err.toString().contains("is gone or not visible"), err.toString());
    assertArrayEquals(new String(before, StandardCharsets.UTF_8).replace(gone, FLOW_ID.toString())
        .getBytes(StandardCharsets.UTF_8), Files.readAllBytes(config));
  }

  @Test
  void aNewFlowWithoutATitleIsAUsageError() throws Exception {
    Files.writeString(config, Files.readString(config).replace("  title: Copy and report\n", ""));

    assertEquals(2, run(true, "deploy-flow"));

    assertTrue(err.toString().contains("a new flow needs a title"), err.toString());
    assertEquals(0, globus.getAllServeEvents().size());
  }

  @Test
  void serverValidateWithoutDryRunIsAUsageError() {
    assertEquals(2, run(true, "deploy-flow", "--server-validate"));
  }
}
