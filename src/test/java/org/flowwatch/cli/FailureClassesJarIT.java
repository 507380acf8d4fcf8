package org.flowwatch.cli;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.flowwatch.cli.AgentHarness.FLOW;
import static org.flowwatch.cli.AgentHarness.ONE_FILE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.flowwatch.testing.FakeFlows;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 8, items 8 and 10: a status poll answered 404 is not FAILED, ENDED is its own final state, and a
 * problem that affects every run is a config error in every mode, never INVALID on each run directory.
 */
class FailureClassesJarIT {
  private static final String RUN = "5d3a1c2e-7f00-4a11-9b3e-1217aa000001";
  /** A schema file that is not even JSON: every document would be judged against nothing. */
  private static final String BROKEN_SCHEMA = "{\"type\": \"object\", \"required\": [";

  static final FakeFlows fake = new FakeFlows();

  @RegisterExtension static WireMockExtension globus = FakeFlows.extension(fake);

  /** Flows with fixed answers: the start succeeds, then the run's status is whatever a test stubs. */
  @RegisterExtension
  static WireMockExtension flows = WireMockExtension.newInstance()
      .options(wireMockConfig().dynamicPort())
      .failOnUnmatchedRequests(true)
      .build();

  @TempDir Path tmp;
  private AgentHarness h;
  private Process agent;

  @BeforeEach
  void setUp() {
    fake.reset();
    fake.install(globus);
    flows.resetAll();
  }

  @AfterEach
  void tearDown() throws InterruptedException {
    if (h != null) {
      h.close();
    }
  }

  private static ResponseDefinitionBuilder json(int status, String resource) throws IOException {
    try (InputStream in = FailureClassesJarIT.class.getResourceAsStream("/" + resource)) {
      return aResponse().withStatus(status).withHeader("Content-Type", "application/json")
          .withBody(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  /** Tokens, a start that succeeds with run RUN, an empty run list, and GET /runs/RUN answering STATUS. */
  private void flowsWhereTheRunAnswers(ResponseDefinitionBuilder status) throws IOException {
    flows.stubFor(post("/v2/oauth2/token").atPriority(1).withRequestBody(containing("flow_babd88e5"))
        .willReturn(json(200, "jarit/token-frib-flow.json")));
    flows.stubFor(post("/v2/oauth2/token").atPriority(2).willReturn(json(200, "jarit/token-flows-service.json")));
    flows.stubFor(post("/flows/" + FLOW + "/run").willReturn(json(201, "jarit/run-started.json")));
    flows.stubFor(get(urlPathEqualTo("/runs")).willReturn(json(200, "jarit/runs-empty.json")));
    flows.stubFor(get("/runs/" + RUN).willReturn(status));
  }

  private int startRequests() {
    return flows.findAll(postRequestedFor(urlEqualTo("/flows/" + FLOW + "/run"))).size();
  }

  /** Two agent passes on run0001: the first starts it, and each polls what is due at once. */
  private String startAndPoll() throws Exception {
    h = new AgentHarness(tmp, flows.baseUrl());
    h.config(ONE_FILE);
    h.rsync(h.source("run0001", 1, 16));
    JarRunner.Result first = h.once("--status-poll=PT0S").assertNoStackTrace();
    assertEquals(0, first.code(), first.err());
    JarRunner.Result second = h.once("--status-poll=PT0S").assertNoStackTrace();
    assertEquals(1, startRequests(), first.err() + second.err());
    assertFalse(flows.findAll(getRequestedFor(urlPathEqualTo("/runs/" + RUN))).isEmpty(),
        "no status poll was made:\n" + first.err() + second.err());
    return first.err() + second.err();
  }

  @Test
  void aStatusPollAnswered404MakesTheRunLostNotFailedAndRetryLeavesIt() throws Exception {
    flowsWhereTheRunAnswers(json(404, "jarit/error-run-not-found.json"));

    String passes = startAndPoll();

    JsonNode row = h.detail("run0001");
    assertEquals("LOST", row.path("state").asText(), row.toPrettyString());
    String said = (row.path("last_error").asText("") + String.join("\n", AgentHarness.reasonsIn(row)))
        .toLowerCase(Locale.ROOT);
    assertTrue(said.contains("identity"), "the reason should name the likely causes (another identity, another"
        + " service URL, a deleted run): " + row.toPrettyString());
    assertFalse(AgentHarness.entries(passes, "WARN").isEmpty(), "a 404 poll should be a WARN:\n" + passes);

    JarRunner.Result retry = h.jar().run("--state-dir", h.state.toString(), "retry", "--state", "FAILED");

    assertEquals(0, retry.code(), retry.err());
    assertFalse(retry.out().contains("run0001"), retry.out());
    assertEquals("LOST", h.detail("run0001").path("state").asText());
    JarRunner.Result later = h.once("--status-poll=PT0S").assertNoStackTrace();
    assertEquals(1, startRequests(), "a LOST run was started again:\n" + later.err());
  }

  @Test
  void aRunTheServiceReportsEndedIsRecordedAsEnded() throws Exception {
    flowsWhereTheRunAnswers(json(200, "jarit/run-ended.json"));

    startAndPoll();

    assertEquals("ENDED", h.detail("run0001").path("state").asText());
  }

  private void configWithoutAFlowId() throws IOException {
    h.config("schema: schema.json\nlabel: \"{run.name}\"", ONE_FILE);
  }

  private void configWithABrokenSchema() throws IOException {
    Files.writeString(h.dir.resolve("broken-schema.json"), BROKEN_SCHEMA);
    h.config("id: " + FLOW + "\nschema: broken-schema.json\nlabel: \"{run.name}\"", ONE_FILE);
  }

  @Test
  void withoutAFlowIdTheAgentLogsOneErrorMarksNothingInvalidAndStartsAfterTheFix() throws Exception {
    h = new AgentHarness(tmp, globus.baseUrl());
    configWithoutAFlowId();
    theAgentReportsAConfigErrorOnceAndStartsAfterTheFix("flow.id");
  }

  @Test
  void withABrokenSchemaTheAgentLogsOneErrorMarksNothingInvalidAndStartsAfterTheFix() throws Exception {
    h = new AgentHarness(tmp, globus.baseUrl());
    configWithABrokenSchema();
    theAgentReportsAConfigErrorOnceAndStartsAfterTheFix("broken-schema.json");
  }

  private void theAgentReportsAConfigErrorOnceAndStartsAfterTheFix(String problem) throws Exception {
    agent = h.startAgent();
    h.rsync(h.source("run0001", 1, 16));
    h.await(agent, "run0001 to be in the ledger", Duration.ofSeconds(30), () -> h.row("run0001").isPresent());
    // Several scans (200 ms apart) and judgements of run0001 happen in this time: the error must not repeat.
    Thread.sleep(2000);

    assertTrue(agent.isAlive(), "a config error must not stop the long-running agent:\n" + h.log());
    JsonNode row = h.detail("run0001");
    assertFalse(AgentHarness.statesIn(row).contains("INVALID"), "a config error was recorded as INVALID: "
        + row.toPrettyString());
    List<String> errors = AgentHarness.entries(h.log(), "ERROR");
    assertEquals(1, errors.size(), "one ERROR for the config problem, not one per scan or run:\n" + h.log());
    assertTrue(errors.get(0).contains(problem), errors.get(0));
    assertEquals(0, fake.startRequests());

    h.config(ONE_FILE);
    // A build started with SIGHUP ignored (nohup) hands that on to the agent, which then cannot reload.
    org.junit.jupiter.api.Assumptions.assumeFalse(AgentHarness.ignores(agent, 1),
        "the build was started with SIGHUP ignored (nohup)");
    AgentHarness.signal(agent, "HUP");

    h.await(agent, "run0001 to start once the config is fixed", Duration.ofSeconds(30),
        () -> fake.startRequests() == 1);
  }

  @Test
  void withoutAFlowIdOnceExitsThree() throws Exception {
    h = new AgentHarness(tmp, globus.baseUrl());
    configWithoutAFlowId();
    onceExitsThreeNaming("flow.id");
  }

  @Test
  void withABrokenSchemaOnceExitsThreeAndMarksNothingInvalid() throws Exception {
    h = new AgentHarness(tmp, globus.baseUrl());
    configWithABrokenSchema();
    onceExitsThreeNaming("broken-schema.json");
  }

  private void onceExitsThreeNaming(String problem) throws Exception {
    h.rsync(h.source("run0001", 1, 16));

    JarRunner.Result once = h.once().assertNoStackTrace();

    assertEquals(3, once.code(), once.err());
    assertTrue(once.err().contains(problem), once.err());
    assertEquals(0, fake.startRequests());
    assertTrue(h.rows().stream().noneMatch(r -> r.path("state").asText().equals("INVALID")), h.rows().toString());
  }
}
