package org.flowwatch.cli;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlMatching;
import static org.flowwatch.globus.Fixtures.RUN_ID;
import static org.flowwatch.globus.Fixtures.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import java.io.BufferedReader;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.flowwatch.globus.TestServices;
import org.flowwatch.ledger.HistoryEntry;
import org.flowwatch.ledger.Ledger;
import org.flowwatch.ledger.RunState;
import org.flowwatch.ledger.Transition;
import org.flowwatch.testing.ConfigFiles;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** resume and cancel through the CLI factory, against WireMock Auth and Flows, on a real ledger. */
class RunControlCommandsTest {
  private static final String RESUME = "/runs/" + RUN_ID + "/resume";
  private static final String CANCEL = "/runs/" + RUN_ID + "/cancel";

  @RegisterExtension static WireMockExtension globus = TestServices.wireMock();

  @TempDir Path dir;
  private Path config;
  private Path state;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @BeforeEach
  void setUp() throws Exception {
    Files.writeString(dir.resolve("schema.json"), "{\"type\": \"object\"}");
    config = ConfigFiles.writeSmall(dir.resolve("flowwatch.yaml"), dir.resolve("data"), """
        id: 0b1c2d3e-0000-4000-8000-000000000001
        schema: schema.json
        label: "{run.name}"
        """, "run(?<number>\\d+)", "trigger_delay: 30s");
    state = dir.resolve("state");
    Files.createDirectories(state);
    globus.stubFor(post("/v2/oauth2/token").withRequestBody(containing("flow_0b1c2d3e"))
        .willReturn(okJson(json("control/token-flow-start.json"))));
    globus.stubFor(post("/v2/oauth2/token").withRequestBody(containing("run_manage"))
        .willReturn(okJson(json("control/token-run-manage.json"))));
  }

  private void ledgerHas(String key, RunState s, String runId) {
    try (Ledger ledger = Ledger.open(state.resolve("ledger.db"), dir.resolve("data"), Clock.systemUTC())) {
      ledger.apply(Transition.of(key, s).runId(runId).reason("set up by the test"));
    }
  }

  private RunState stateOf(String key) {
    try (Ledger ledger = Ledger.open(state.resolve("ledger.db"), null, Clock.systemUTC())) {
      return ledger.get(key).orElseThrow().state();
    }
  }

  private List<HistoryEntry> history(String key) {
    try (Ledger ledger = Ledger.open(state.resolve("ledger.db"), null, Clock.systemUTC())) {
      return ledger.history(key);
    }
  }

  private int run(String... args) {
    String[] all = new String[args.length + 4];
    all[0] = "--config";
    all[1] = config.toString();
    all[2] = "--state-dir";
    all[3] = state.toString();
    System.arraycopy(args, 0, all, 4, args.length);
    Map<String, String> env = Map.of("GLOBUS_SDK_SERVICE_URL_AUTH", globus.baseUrl(),
        "GLOBUS_SDK_SERVICE_URL_FLOWS", globus.baseUrl(), "GLOBUS_CLIENT_ID", DeployFixture.CLIENT_ID,
        "GLOBUS_CLIENT_SECRET", DeployFixture.CLIENT_SECRET, "HOME", dir.toString());
    return Cli.run(all, new Terminal(new PrintWriter(out, true), new PrintWriter(err, true),
        new BufferedReader(new StringReader("")), env));
  }

  private static int posts(String path) {
    return globus.findAll(postRequestedFor(urlEqualTo(path))).size();
  }

  @Test
  void givenALocalEngineConfig_whenCancelled_thenNothingIsSentAndItSaysHowLocalRunsStop() throws Exception {
    Files.writeString(config, "engine: local\n" + Files.readString(config));
    ledgerHas("run1217", RunState.ACTIVE, RUN_ID.toString());

    int code = run("cancel", "run1217");

    assertEquals(2, code, err.toString());
    assertTrue(err.toString().contains("runs them locally (engine: local); stop the agent"), err.toString());
    assertEquals(0, globus.getAllServeEvents().size(), "nothing was asked of the service");
    assertEquals(RunState.ACTIVE, stateOf("run1217"));
  }

  @Test
  void resumeSendsTheFlowsOwnTokenAndRecordsInactiveToActive() {
    ledgerHas("run1217", RunState.INACTIVE, RUN_ID.toString());
    globus.stubFor(post(RESUME).withHeader("Authorization", equalTo("Bearer AgX-client-flow-start-token"))
        .willReturn(okJson(json("control/run-resumed.json"))));

    int code = run("resume", "run1217");

    assertEquals(0, code, err.toString());
    assertEquals(1, posts(RESUME));
    assertEquals(RunState.ACTIVE, stateOf("run1217"));
    HistoryEntry last = history("run1217").get(history("run1217").size() - 1);
    assertEquals(RunState.INACTIVE, last.from());
    assertEquals(RunState.ACTIVE, last.to());
    assertTrue(last.reason().startsWith("resumed by hand"), last.reason());
    assertTrue(out.toString().contains("run1217: INACTIVE -> ACTIVE"), out.toString());
  }

  @Test
  void cancelUsesTheRunManageScopeAndRecordsEnded() {
    ledgerHas("run1217", RunState.ACTIVE, RUN_ID.toString());
    globus.stubFor(post(CANCEL).withHeader("Authorization", equalTo("Bearer AgX-client-run-manage-token"))
        .willReturn(aResponse().withStatus(202).withHeader("Content-Type", "application/json")
            .withBody(json("control/run-cancelled.json"))));

    int code = run("cancel", "run1217");

    assertEquals(0, code, err.toString());
    assertEquals(RunState.ENDED, stateOf("run1217"));
    HistoryEntry last = history("run1217").get(history("run1217").size() - 1);
    assertEquals(RunState.ACTIVE, last.from());
    assertTrue(last.reason().startsWith("cancelled by hand"), last.reason());
    assertTrue(last.reason().contains("FlowCanceled"), last.reason());
  }

  @Test
  void cancelOfAnInactiveRunIsAllowed() {
    ledgerHas("run1217", RunState.INACTIVE, RUN_ID.toString());
    globus.stubFor(post(CANCEL).willReturn(aResponse().withStatus(202)
        .withHeader("Content-Type", "application/json").withBody(json("control/run-cancelled.json"))));

    assertEquals(0, run("cancel", "run1217"), err.toString());
    assertEquals(RunState.ENDED, stateOf("run1217"));
  }

  @Test
  void aKeyNotInTheLedgerIsRefusedWithoutAskingTheService() {
    ledgerHas("run1217", RunState.INACTIVE, RUN_ID.toString());

    int code = run("resume", "run9999");

    assertEquals(ExitCode.INVALID_INPUT, code);
    assertTrue(err.toString().contains("run9999 is not in the ledger"), err.toString());
    assertEquals(0, globus.findAll(postRequestedFor(urlMatching("/runs/.*"))).size());
  }

  @Test
  void resumeOfAnActiveRunAndCancelOfAFinishedOneAreRefused() {
    ledgerHas("run1", RunState.ACTIVE, RUN_ID.toString());
    ledgerHas("run2", RunState.SUCCEEDED, RUN_ID.toString());

    assertEquals(ExitCode.INVALID_INPUT, run("resume", "run1"));
    assertTrue(err.toString().contains("run1 is ACTIVE"), err.toString());
    assertEquals(ExitCode.INVALID_INPUT, run("cancel", "run2"));
    assertTrue(err.toString().contains("run2 is SUCCEEDED"), err.toString());
    assertTrue(err.toString().contains("flowwatch retry run2"), err.toString());

    assertEquals(0, globus.findAll(postRequestedFor(urlMatching("/runs/.*"))).size());
    assertEquals(RunState.ACTIVE, stateOf("run1"));
    assertEquals(RunState.SUCCEEDED, stateOf("run2"));
  }

  @Test
  void aRefusedResumeLeavesTheLedgerAsItWasAndExitsWithTheAuthCode() {
    ledgerHas("run1217", RunState.INACTIVE, RUN_ID.toString());
    globus.stubFor(post(RESUME).willReturn(aResponse().withStatus(403)
        .withHeader("Content-Type", "application/json").withBody(json("flows/error-forbidden.json"))));
    int before = history("run1217").size();

    int code = run("resume", "run1217");

    assertEquals(ExitCode.AUTH, code);
    assertTrue(err.toString().contains("Tried to resume flow run " + RUN_ID), err.toString());
    assertEquals(RunState.INACTIVE, stateOf("run1217"));
    assertEquals(before, history("run1217").size());
  }

  @Test
  void aRunTheServiceDoesNotKnowIsRejectedAndTheOtherKeysStillRun() {
    ledgerHas("run1", RunState.ACTIVE, RUN_ID.toString());
    ledgerHas("run2", RunState.SUCCEEDED, RUN_ID.toString());
    globus.stubFor(post(CANCEL).willReturn(aResponse().withStatus(404)
        .withHeader("Content-Type", "application/json").withBody(json("control/error-run-not-found.json"))));

    int code = run("cancel", "run1", "run2");

    assertEquals(ExitCode.REJECTED, code, "the first failure's code");
    assertTrue(err.toString().contains("run1: Tried to cancel flow run"), err.toString());
    assertTrue(err.toString().contains("run2 is SUCCEEDED"), err.toString());
    assertEquals(RunState.ACTIVE, stateOf("run1"));
  }
}
