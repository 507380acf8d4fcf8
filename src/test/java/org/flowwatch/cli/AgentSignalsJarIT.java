package org.flowwatch.cli;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.flowwatch.cli.AgentHarness.FLOW;
import static org.flowwatch.cli.AgentHarness.ONE_FILE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.flowwatch.testing.FakeFlows;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 8, item 9: the agent stops in bounded time even when Globus never answers (SIGTERM 143, SIGINT
 * 130), and SIGHUP re-reads the config, keeping the old one when the new one is broken.
 */
class AgentSignalsJarIT {
  /** Longer than any test: a service that never answers. */
  private static final int NEVER = (int) Duration.ofMinutes(5).toMillis();
  private static final Duration STOP_LIMIT = Duration.ofSeconds(10);
  private static final int SIGINT = 2;
  private static final int SIGHUP = 1;

  static final FakeFlows fake = new FakeFlows();

  @RegisterExtension static WireMockExtension globus = FakeFlows.extension(fake);

  /** Holds every request it gets for minutes; threads for the requests left sleeping by earlier tests. */
  @RegisterExtension
  static WireMockExtension silent = WireMockExtension.newInstance()
      .options(wireMockConfig().dynamicPort().containerThreads(60))
      .failOnUnmatchedRequests(true)
      .build();

  @TempDir Path tmp;
  private AgentHarness h;
  private Process agent;

  @BeforeEach
  void setUp() {
    fake.reset();
    fake.install(globus);
    silent.resetAll();
  }

  @AfterEach
  void tearDown() throws InterruptedException {
    if (h != null) {
      h.close();
    }
  }

  /** Auth answers at once when AUTH_ANSWERS; every other call, and Auth otherwise, hangs. */
  private void silentService(boolean authAnswers) throws IOException {
    if (authAnswers) {
      silent.stubFor(post("/v2/oauth2/token").atPriority(1).withRequestBody(containing("flow_babd88e5"))
          .willReturn(json(resource("jarit/token-frib-flow.json"))));
      silent.stubFor(post("/v2/oauth2/token").atPriority(2)
          .willReturn(json(resource("jarit/token-flows-service.json"))));
    }
    silent.stubFor(any(anyUrl()).atPriority(10)
        .willReturn(json(resource("jarit/run-started.json")).withStatus(201).withFixedDelay(NEVER)));
  }

  private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder json(String body) {
    return aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(body);
  }

  private static String resource(String path) throws IOException {
    try (InputStream in = AgentSignalsJarIT.class.getResourceAsStream("/" + path)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** An agent with one complete run directory, whose start request has reached the silent service. */
  private void agentBlockedInAStart() throws Exception {
    silentService(true);
    h = new AgentHarness(tmp, silent.baseUrl());
    h.config(ONE_FILE);
    h.rsync(h.source("run0001", 1, 16));
    agent = h.startAgent();
    h.await(agent, "the start request to reach the silent service", Duration.ofSeconds(30),
        () -> !silent.findAll(postRequestedFor(urlEqualTo("/flows/" + FLOW + "/run"))).isEmpty());
  }

  @Test
  void sigtermWhileAStartHangsStopsWithin10SecondsAndKeepsTheStartStarting() throws Exception {
    agentBlockedInAStart();

    Duration took = h.exitTime(agent, "TERM", STOP_LIMIT.plusSeconds(5));

    assertTrue(took.compareTo(STOP_LIMIT) <= 0, "stopped " + took.toMillis() + " ms after SIGTERM:\n" + h.log());
    assertEquals(143, agent.exitValue(), h.log());
    JsonNode row = h.detail("run0001");
    assertEquals("STARTING", row.path("state").asText(), "an abandoned start stays STARTING: "
        + row.toPrettyString());
    assertFalse(row.path("token").asText("").isEmpty(), "the abandoned start keeps its token: "
        + row.toPrettyString());
  }

  @Test
  void sigtermWhileAuthHangsStopsWithin10Seconds() throws Exception {
    silentService(false);
    h = new AgentHarness(tmp, silent.baseUrl());
    h.config(ONE_FILE);
    h.rsync(h.source("run0001", 1, 16));
    agent = h.startAgent();
    h.await(agent, "a request to reach the silent service", Duration.ofSeconds(30),
        () -> !silent.findAll(anyRequestedFor(anyUrl())).isEmpty());

    Duration took = h.exitTime(agent, "TERM", STOP_LIMIT.plusSeconds(5));

    assertTrue(took.compareTo(STOP_LIMIT) <= 0, "stopped " + took.toMillis() + " ms after SIGTERM:\n" + h.log());
    assertEquals(143, agent.exitValue(), h.log());
  }

  @Test
  void sigintWhileAStartHangsStopsWithin10SecondsWith130() throws Exception {
    agentBlockedInAStart();
    assumeFalse(AgentHarness.ignores(agent, SIGINT),
        "the build was started with SIGINT ignored (a background job), so the agent cannot receive it");

    Duration took = h.exitTime(agent, "INT", STOP_LIMIT.plusSeconds(5));

    assertTrue(took.compareTo(STOP_LIMIT) <= 0, "stopped " + took.toMillis() + " ms after SIGINT:\n" + h.log());
    assertEquals(130, agent.exitValue(), h.log());
  }

  /** An agent on the fake Flows service that has started run0001 with the first config. */
  private void agentThatStartedOneRun() throws Exception {
    h = new AgentHarness(tmp, globus.baseUrl());
    h.config(ONE_FILE);
    agent = h.startAgent();
    h.rsync(h.source("run0001", 1, 16));
    h.await(agent, "run0001 to start", Duration.ofSeconds(30), () -> fake.runs().size() == 1);
    assumeFalse(AgentHarness.ignores(agent, SIGHUP), "the build was started with SIGHUP ignored (nohup)");
  }

  @Test
  void sighupWithAValidConfigAppliesItFromTheNextScan() throws Exception {
    agentThatStartedOneRun();
    h.config("id: " + FLOW + "\nschema: schema.json\nlabel: \"reloaded-{run.name}\"", ONE_FILE);

    AgentHarness.signal(agent, "HUP");

    h.await(agent, "the reload to be logged", Duration.ofSeconds(15),
        () -> h.log().contains("configuration reloaded from"));
    assertTrue(h.log().contains("configuration reloaded from " + h.config)
        || h.log().contains("configuration reloaded from flowwatch.yaml"), h.log());
    h.rsync(h.source("run0002", 1, 16));
    h.await(agent, "run0002 to start", Duration.ofSeconds(30), () -> fake.runs().size() == 2);
    String label = fake.runs().get(1).label();
    assertTrue(label.startsWith("reloaded-run0002 \u00b7 "), "run0002 was started with the old label: " + label);
    assertTrue(agent.isAlive());
  }

  @Test
  void sighupWithABrokenConfigKeepsThePreviousOneAndTheAgentGoesOn() throws Exception {
    agentThatStartedOneRun();
    String good = Files.readString(h.config);
    // An unclosed flow sequence: the YAML parser fails, pointing at the line.
    Files.writeString(h.config, good.replace("readiness: [manifest]", "readiness: [manifest"));

    AgentHarness.signal(agent, "HUP");

    h.await(agent, "an ERROR keeping the previous configuration", Duration.ofSeconds(15),
        () -> AgentHarness.entries(h.log(), "ERROR").stream()
            .anyMatch(e -> e.contains("keeping the previous configuration")));
    String error = AgentHarness.entries(h.log(), "ERROR").stream()
        .filter(e -> e.contains("keeping the previous configuration")).findFirst().orElseThrow();
    assertTrue(error.contains("flowwatch.yaml:"), "the ERROR should name the problem (file:line): " + error);
    assertFalse(h.log().contains("configuration reloaded"), h.log());
    h.rsync(h.source("run0002", 1, 16));
    h.await(agent, "run0002 to start with the previous config", Duration.ofSeconds(30),
        () -> fake.runs().size() == 2);
    List<FakeFlows.Run> runs = fake.runs();
    assertTrue(runs.get(1).label().startsWith("run0002 \u00b7 "), runs.get(1).label());
    assertTrue(agent.isAlive());
  }
}
