package org.flowwatch.cli;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.flowwatch.cli.DeployFixture.FLOW_ID;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** lint and deploy-flow run from the packaged jar: exit codes, messages, no stack traces. */
class FlowJarIT {
  private static final Path REALDATA = Path.of("src/test/resources/realdata").toAbsolutePath();
  private static final Path FRIB = REALDATA.resolve("aschester-e21062-Globus-Flows");
  private static final Path FLOWCRON = REALDATA.resolve("rosalindfranklininstitute-FlowCron-Globus_Flow-side");

  @RegisterExtension
  static WireMockExtension globus = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort())
      .failOnUnmatchedRequests(true).build();

  @TempDir Path dir;
  private Path config;

  @BeforeEach
  void copyFixture() {
    config = DeployFixture.copyInto(dir);
  }

  private JarRunner jar() {
    return new JarRunner(dir)
        .env("GLOBUS_SDK_SERVICE_URL_AUTH", globus.baseUrl())
        .env("GLOBUS_SDK_SERVICE_URL_FLOWS", globus.baseUrl());
  }

  private JarRunner client() {
    for (String scope : new String[] {"view_flows", "manage_flows"}) {
      globus.stubFor(post("/v2/oauth2/token").withRequestBody(containing(scope))
          .willReturn(okJson(DeployFixture.token(scope))));
    }
    return jar().env("GLOBUS_CLIENT_ID", DeployFixture.CLIENT_ID)
        .env("GLOBUS_CLIENT_SECRET", DeployFixture.CLIENT_SECRET);
  }

  @Test
  void lintOfTheFribPipelineExitsFourNamingEachRetiredUrl() throws Exception {
    JarRunner.Result r = jar().run("lint", FRIB.resolve("transfer_compute/definition.json").toString(),
        FRIB.resolve("transfer_compute/schema.json").toString()).assertNoStackTrace();

    assertEquals(4, r.code(), r.err());
    assertEquals(16, r.out().lines().filter(l -> l.contains(": error FW301 ")).count(), r.out());
    assertTrue(r.out().contains("/definition.json:193:13: error FW301 /States/TransferRawData/ActionUrl"), r.out());
    assertTrue(r.err().contains("lint: 16 errors, 24 warnings"), r.err());
  }

  @Test
  void lintOfTheFlowCronTemplateSaysWhereTheJsonBreaks() throws Exception {
    JarRunner.Result r = jar().run("lint", FLOWCRON.resolve("FlowCron-template_definition.json").toString())
        .assertNoStackTrace();

    assertEquals(4, r.code(), r.err());
    assertTrue(r.out().contains("FlowCron-template_definition.json:253:22: error FW001"), r.out());
    assertTrue(r.out().contains("'FLOW_WAIT_MIN' looks like a template placeholder"), r.out());
  }

  @Test
  void lintJsonIsMachineReadable() throws Exception {
    JarRunner.Result r = jar().run("--config", config.toString(), "lint", "--json").assertNoStackTrace();

    assertEquals(0, r.code(), r.err());
    JsonNode doc = new ObjectMapper().readTree(r.out());
    assertEquals(0, doc.get("errors").asInt());
    assertEquals(0, doc.get("findings").size());
  }

  @Test
  void lintOfAMissingFileIsAConfigError() throws Exception {
    JarRunner.Result r = jar().run("lint", dir.resolve("flows/nope.json").toString()).assertNoStackTrace();

    assertEquals(3, r.code(), r.err());
    assertTrue(r.err().contains("the flow definition file does not exist"), r.err());
  }

  @Test
  void deployCreatesAndSavesOnlyTheId() throws Exception {
    byte[] before = Files.readAllBytes(config);
    JsonNode definition = DeployFixture.read(dir.resolve("flows/copy.json"));
    JsonNode schema = DeployFixture.read(dir.resolve("schemas/copy.json"));
    globus.stubFor(post(urlEqualTo("/flows")).willReturn(aResponse().withStatus(201)
        .withHeader("Content-Type", "application/json")
        .withBody(DeployFixture.flowDocument("Copy and report", definition, schema))));
    // This identity owns no flow of that title: the one a create would duplicate.
    globus.stubFor(get(urlPathEqualTo("/flows")).withQueryParam("filter_roles", equalTo("flow_owner"))
        .willReturn(okJson("{\"flows\": [], \"limit\": 20, \"has_next_page\": false, \"marker\": null}")));

    // With a config file, the created flow's id is saved there by default.
    JarRunner.Result r = client().run("--config", config.toString(), "deploy-flow").assertNoStackTrace();

    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().startsWith(FLOW_ID + "\nhttps://auth.globus.org/scopes/" + FLOW_ID + "/flow_"), r.out());
    assertTrue(r.err().contains("saved flow.id " + FLOW_ID), r.err());
    assertArrayEquals(new String(before, StandardCharsets.UTF_8).replace("\nflow:\n", "\nflow:\n  id: " + FLOW_ID
        + "\n").getBytes(StandardCharsets.UTF_8), Files.readAllBytes(config));
    assertTrue(!r.err().contains(DeployFixture.CLIENT_SECRET) && !r.err().contains("token-manage_flows"), r.err());
  }

  @Test
  void deployOfAnUnchangedFlowSendsNoUpdate() throws Exception {
    JsonNode definition = DeployFixture.read(dir.resolve("flows/copy.json"));
    JsonNode schema = DeployFixture.read(dir.resolve("schemas/copy.json"));
    globus.stubFor(get(urlEqualTo("/flows/" + FLOW_ID)).willReturn(okJson(
        DeployFixture.flowDocument("Copy and report", definition, schema))));

    JarRunner.Result r = client().run("--config", config.toString(), "deploy-flow", "--flowid", FLOW_ID.toString())
        .assertNoStackTrace();

    assertEquals(0, r.code(), r.err());
    assertEquals("up to date\n", r.out());
    assertEquals(0, globus.findAll(putRequestedFor(anyUrl())).size());
  }

  @Test
  void deployOfAGoneFlowExitsSixAndOffersCreate() throws Exception {
    globus.stubFor(get(urlEqualTo("/flows/" + FLOW_ID)).willReturn(aResponse().withStatus(404)
        .withHeader("Content-Type", "application/json")
        .withBody("{\"error\": {\"code\": \"NOT_FOUND\", \"detail\": \"No flow with id " + FLOW_ID + "\"}}")));

    JarRunner.Result r = client().run("--config", config.toString(), "deploy-flow", "--flowid", FLOW_ID.toString())
        .assertNoStackTrace();

    assertEquals(6, r.code(), r.err());
    assertTrue(r.err().contains("not visible to this identity"), r.err());
    assertTrue(r.err().contains("--create"), r.err());
    assertEquals(0, globus.findAll(postRequestedFor(urlEqualTo("/flows"))).size());
  }

  @Test
  void deployWithLintErrorsExitsFourAndSendsNothing() throws Exception {
    JarRunner.Result r = client().run("--config", config.toString(), "deploy-flow",
        "--definition", FRIB.resolve("transfer/definition.json").toString(),
        "--schema", FRIB.resolve("transfer/schema.json").toString()).assertNoStackTrace();

    assertEquals(4, r.code(), r.err());
    assertTrue(r.err().contains("error FW301"), r.err());
    assertEquals(0, globus.getAllServeEvents().size());
  }

  @Test
  void dryRunWithoutCredentialsTouchesNoNetwork() throws Exception {
    JarRunner.Result r = jar().run("--config", config.toString(), "deploy-flow", "--dry-run").assertNoStackTrace();

    assertEquals(0, r.code(), r.err());
    assertEquals("would create a new flow 'Copy and report'\n", r.out());
    assertEquals(0, globus.getAllServeEvents().size());
  }

  @Test
  void serverValidateWithoutDryRunIsAUsageError() throws Exception {
    JarRunner.Result r = jar().run("--config", config.toString(), "deploy-flow", "--server-validate")
        .assertNoStackTrace();

    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().contains("--server-validate goes with --dry-run"), r.err());
  }

  @Test
  void helpListsBothCommands() throws Exception {
    JarRunner.Result r = jar().run("--help");

    assertTrue(r.out().contains("deploy-flow"), r.out());
    assertTrue(r.out().contains("lint"), r.out());
  }
}
