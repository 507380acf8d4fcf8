package org.flowwatch.watch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.flowwatch.config.AuthConfig;
import org.flowwatch.config.Config;
import org.flowwatch.config.ConfigLoader;
import org.flowwatch.globus.auth.AuthClient;
import org.flowwatch.globus.compute.ComputeClient;
import org.flowwatch.globus.flows.FlowRuns;
import org.flowwatch.globus.flows.FlowTarget;
import org.flowwatch.globus.flows.FlowsClient;
import org.flowwatch.globus.flows.GlobusFlowRuns;
import org.flowwatch.globus.GlobusHttp;
import org.flowwatch.globus.RetryPolicy;
import org.flowwatch.globus.ServiceUrls;
import org.flowwatch.globus.auth.TokenManager;
import org.flowwatch.ledger.Ledger;
import org.flowwatch.ledger.RunRecord;
import org.flowwatch.ledger.RunState;
import org.flowwatch.ledger.Transition;
import org.flowwatch.testing.FakeFlows;
import org.flowwatch.testing.FakeFlows.Outcome;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The agent loop in-process, against a stateful fake Flows service and a real SQLite ledger. */
class AgentTest {
  static final FakeFlows fake = new FakeFlows();

  @RegisterExtension static WireMockExtension globus = FakeFlows.extension(fake);

  @TempDir Path dir;
  private Path watch;
  private Ledger ledger;
  private GlobusHttp http;
  private Agent agent;

  static String config(Path watch, String readiness) {
    return """
        collections:
          dtn: {id: 9656eff2-8105-445c-8501-154dfe1d88e5, local_root: %s, globus_root: /data}
        flow:
          id: babd88e5-d31d-48c7-b3a0-b765389b5c22
          schema: schema.json
          label: "{run.name}"
          tags: [test]
        run_directory:
          pattern: 'run(?<number>\\d+)'
          counts: {segments: "*.evt"}
        watch:
          %s
          scan_interval: 100ms
          max_active_runs: %s
        compute:
          endpoints:
            fit: {id: ff16dcd1-0632-4fdd-8b0c-d239d4f1b889, name: frib-fit-mpi}
        input:
          source: {id: "{run.collection_id}", path: "{run.globus_path}"}
          number: "{run.number}"
          segments: "{run.segments}"
        """.formatted(watch, readiness, "${MAX_ACTIVE:-50}");
  }

  static final String SCHEMA = """
      {"type": "object", "required": ["source", "number", "segments"],
       "properties": {"number": {"type": "integer", "minimum": 1}, "segments": {"type": "integer"}}}
      """;

  @BeforeEach
  void setUp() throws IOException {
    fake.reset();
    fake.install(globus);
    watch = Files.createDirectories(dir.resolve("watch"));
    Files.writeString(dir.resolve("schema.json"), SCHEMA);
  }

  @AfterEach
  void tearDown() {
    if (ledger != null) {
      ledger.close();
    }
    if (http != null) {
      http.close();
    }
  }

  /** The agent's services against one fake Globus, over {@code http}: what every agent test here wires. */
  static Services services(GlobusHttp http) {
    TokenManager tokens = TokenManager.create(Map.of("GLOBUS_CLIENT_ID", "c", "GLOBUS_CLIENT_SECRET", "s"),
        AuthConfig.DEFAULT, new AuthClient(http, Clock.systemUTC()), Clock.systemUTC());
    FlowsClient flows = new FlowsClient(http, tokens, RetryPolicy.DEFAULT, d -> { });
    ComputeClient compute = new ComputeClient(http, tokens);
    return new Services() {
      @Override
      public FlowRuns flowRuns(Config config) {
        return new GlobusFlowRuns(flows, FlowTarget.of(config));
      }

      @Override
      public ComputeClient compute(Config config) {
        return compute;
      }

      @Override
      public void abandonCalls() {
        http.cancelAll();
      }
    };
  }

  private Agent agent(String readiness, Map<String, String> env, Duration grace) throws IOException {
    Files.writeString(dir.resolve("flowwatch.yaml"), config(watch, readiness));
    Config cfg = new ConfigLoader(env).load(dir.resolve("flowwatch.yaml"));
    ledger = Ledger.open(dir.resolve("state/ledger.db"), watch, Clock.systemUTC());
    String url = globus.baseUrl();
    http = new GlobusHttp(ServiceUrls.from(Map.of("GLOBUS_SDK_SERVICE_URL_AUTH", url,
        "GLOBUS_SDK_SERVICE_URL_FLOWS", url, "GLOBUS_SDK_SERVICE_URL_COMPUTE", url)), Duration.ofSeconds(5));
    Services services = services(http);
    Path file = dir.resolve("flowwatch.yaml");
    agent = new Agent(watch, cfg, ledger, services, () -> new ConfigLoader(env).load(file),
        new AgentOptions(grace, Duration.ZERO), Clock.systemUTC(), Map.of());
    return agent;
  }

  private Agent agent() throws IOException {
    return agent("readiness: [manifest]\n  manifest: {glob: \"*.evt\", count: 1}", Map.of(), Duration.ZERO);
  }

  private Path runDir(String name, int segments) throws IOException {
    Path run = Files.createDirectories(watch.resolve(name));
    for (int s = 0; s < segments; s++) {
      Files.writeString(run.resolve(String.format("%s-%02d.evt", name, s)), "segment");
    }
    return run;
  }

  private RunRecord row(String key) {
    return ledger.get(key).orElseThrow(() -> new AssertionError(key + " not in the ledger"));
  }

  private long runsFor(String key) {
    return fake.runs().stream().filter(r -> r.label().startsWith(key + " \u00b7 ")).count();
  }

  @Test
  void directoriesPresentAtStartUpAreStartedOnceEach() throws IOException {
    runDir("run0001", 2);
    runDir("run0002", 1);
    Agent a = agent();

    a.runOnce();
    a.runOnce();
    a.runOnce();

    assertEquals(2, fake.runs().size());
    assertEquals(1, runsFor("run0001"));
    assertEquals(RunState.SUCCEEDED, row("run0001").state());
    RunRecord r = row("run0002");
    assertEquals(1, r.attempts());
    assertTrue(fake.runs().stream().anyMatch(x -> x.id().equals(r.runId()) && x.tags().contains(r.token())));
    assertEquals("/data/run0002", fake.runs().stream().filter(x -> x.id().equals(r.runId())).findFirst()
        .orElseThrow().body().path("source").path("path").asText());
  }

  @Test
  void idleScansOfManyFinishedDirectoriesReadNoRowsListNothingAndWatchOnlyWhatCanChange() throws Exception {
    int finished = 2000;
    List<Transition> done = new java.util.ArrayList<>();
    for (int i = 0; i < finished; i++) {
      String key = String.format("run%05d", i);
      runDir(key, 1);
      done.add(Transition.of(key, RunState.SUCCEEDED).runId("r" + i));
    }
    try (Ledger earlier = Ledger.open(dir.resolve("state/ledger.db"), watch, Clock.systemUTC())) {
      earlier.apply(done); // an agent that ran before this one started and finished them
    }
    // The tree was written long ago: its mtime proves nothing changed since any listing.
    Files.setLastModifiedTime(watch, java.nio.file.attribute.FileTime.from(Instant.now().minusSeconds(3600)));
    Agent a = agent();
    Thread loop = new Thread(() -> a.run(true));
    loop.start();
    try {
      await(() -> a.listings() > 0, "the first scan");
      Thread.sleep(300); // events are live after the first pass
      long rows = ledger.rowsRead();
      long listings = a.listings();

      Thread.sleep(1000); // about ten more full scans

      assertEquals(rows, ledger.rowsRead(), "an idle scan read ledger rows");
      assertEquals(listings, a.listings(), "an idle scan listed the unchanged watch directory");
      assertEquals(Set.of(), a.watchedDirectories(), "finished directories are watched");

      runDir("run99999", 0); // being written: no .evt yet
      await(() -> a.watchedDirectories().equals(Set.of("run99999")), "the new directory to be watched");
      Files.writeString(watch.resolve("run99999/run99999-00.evt"), "segment");
      await(() -> ledger.get("run99999").map(r -> r.state() == RunState.SUCCEEDED).orElse(false),
          "the event in the watched directory to start its run");
      await(() -> a.watchedDirectories().isEmpty(), "the started directory to be dropped from the watches");
      assertEquals(1, fake.runs().size());
      assertEquals(1, a.directoriesWatched());

      // Written elsewhere and moved in whole: complete at first sight, so it is started without a watch.
      Path whole = Files.createDirectories(dir.resolve("elsewhere/run99998"));
      Files.writeString(whole.resolve("run99998-00.evt"), "segment");
      Files.move(whole, watch.resolve("run99998"));
      await(() -> ledger.get("run99998").map(r -> r.state() == RunState.SUCCEEDED).orElse(false),
          "the directory moved in whole to start its run");
      assertEquals(1, a.directoriesWatched(), "a directory complete at first sight was watched");
    } finally {
      a.stop();
      loop.join(10_000);
    }
  }

  @Test
  void aRowAnotherProcessPutsBackInTheQueueIsStartedAtTheNextScan() throws Exception {
    Agent a = agent();
    Thread loop = new Thread(() -> a.run(true));
    loop.start();
    try {
      runDir("run00001", 1);
      await(() -> ledger.get("run00001").map(r -> r.state() == RunState.SUCCEEDED).orElse(false), "the first run");
      Thread.sleep(300); // passes woken by nothing due: the agent no longer looks for due rows between scans
      try (Ledger retry = Ledger.open(dir.resolve("state/ledger.db"), watch, Clock.systemUTC())) {
        retry.apply(List.of(Transition.of("run00001", RunState.READY).again().reason("flowwatch retry")));
      }
      await(() -> fake.runs().size() == 2, "the retried directory to start again");
      assertEquals(2, ledger.get("run00001").orElseThrow().attempts());
    } finally {
      a.stop();
      loop.join(10_000);
    }
  }

  @Test
  void writesAreEventsOnlyForSettle_andAReloadThatChangesThatWatchesAnew() throws Exception {
    Agent a = agent("readiness: [manifest]\n  manifest: {glob: \"*.evt\", count: 2}", Map.of(), Duration.ZERO);
    Thread loop = new Thread(() -> a.run(true));
    loop.start();
    try {
      runDir("run00001", 1); // one of the two segments it waits for
      await(() -> a.watchedDirectories().equals(Set.of("run00001")), "the directory to be watched");
      assertTrue(!a.writesAreEvents(), "a manifest counts names: writes need not wake the agent");

      Files.writeString(dir.resolve("flowwatch.yaml"), config(watch, "readiness: [settle]\n  trigger_delay: 30s"));
      a.reload();
      await(a::writesAreEvents, "the reload to the settle policy to watch writes");
      await(() -> a.watchedDirectories().equals(Set.of("run00001")), "the settling directory to be watched again");
    } finally {
      a.stop();
      loop.join(10_000);
    }
  }

  private static void await(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
    long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(20);
    }
  }

  @Test
  void onlyMatchingDirectoriesCountAndOddEntriesNeverCrashTheLoop() throws IOException {
    runDir("run0001", 1);
    runDir("notarun", 1);
    Files.writeString(watch.resolve("run0002"), "a file, not a directory");
    Path outside = Files.createDirectories(dir.resolve("outside/run0003"));
    Files.writeString(outside.resolve("x.evt"), "x");
    Files.createSymbolicLink(watch.resolve("run0003"), outside);
    Files.createSymbolicLink(watch.resolve("run0004"), dir.resolve("nowhere"));
    Agent a = agent();

    a.runOnce();

    assertEquals(1, fake.runs().size());
    assertEquals(1, ledger.all().size());
    assertEquals(RunState.SUCCEEDED, row("run0001").state());
  }

  @Test
  void aDirectoryThatVanishesWhileSettlingIsIgnoredUntilItReturns() throws IOException {
    Path run = runDir("run0007", 1);
    Agent a = agent("readiness: [settle]\n  trigger_delay: 0s", Map.of(), Duration.ZERO);
    a.runOnce();
    Files.delete(run.resolve("run0007-00.evt"));
    Files.delete(run);
    a.runOnce();
    assertEquals(RunState.SETTLING, row("run0007").state());
    runDir("run0007", 1);
    a.runOnce();
    a.runOnce();
    assertEquals(RunState.SUCCEEDED, row("run0007").state());
    assertEquals(1, fake.runs().size());
  }

  @Test
  void invalidInputIsRecordedAndLookedAtAgainOnlyWhenTheDirectoryChanges() throws IOException {
    Path run = runDir("run0", 1); // number 0 breaks "minimum": 1
    Agent a = agent();
    a.runOnce();
    RunRecord r = row("run0");
    assertEquals(RunState.INVALID, r.state());
    assertTrue(r.lastError().contains("/number"), r.lastError());
    a.runOnce();
    assertEquals(RunState.INVALID, row("run0").state());
    assertEquals(0, fake.startRequests());

    Files.writeString(run.resolve("run0-01.evt"), "another segment");
    a.runOnce(); // INVALID -> SETTLING: the directory changed
    a.runOnce(); // SETTLING -> READY -> INVALID again: the name still gives number 0
    assertEquals(RunState.INVALID, row("run0").state()); // still invalid, but it was judged again
    assertTrue(ledger.history("run0").stream().anyMatch(h -> h.to() == RunState.SETTLING && h.from() == RunState.INVALID));
  }

  @Test
  void rateLimitSlowsTheAgentAndTheRunStartsLater() throws Exception {
    runDir("run0001", 1);
    fake.policy(n -> n == 1 ? Outcome.RATE_LIMIT : Outcome.ACCEPT);
    Agent a = agent();
    a.runOnce();
    RunRecord r = row("run0001");
    assertEquals(RunState.READY, r.state());
    assertNotNull(r.notBefore());
    a.runOnce();
    assertEquals(1, fake.startRequests(), "the agent must wait out Retry-After");
    Thread.sleep(1100);
    a.runOnce();
    assertEquals(RunState.SUCCEEDED, row("run0001").state());
    assertEquals(1, fake.runs().size());
  }

  @Test
  void aLostAnswerIsSettledByTheTokenNotByStartingAgain() throws Exception {
    runDir("run0001", 1);
    fake.policy(n -> Outcome.ACCEPT_THEN_DROP);
    Agent a = agent();
    a.runOnce();
    assertEquals(RunState.STARTING, row("run0001").state());
    Thread.sleep(5100); // the retry of an unknown outcome waits a few seconds
    a.runOnce();
    RunRecord r = row("run0001");
    assertEquals(fake.runs().get(0).id(), r.runId());
    assertEquals(1, fake.startRequests());
    assertEquals(1, fake.runs().size());
  }

  @Test
  void aStartThatNeverHappenedIsStartedAgainWithANewToken() throws Exception {
    runDir("run0001", 1);
    Agent a = agent();
    // As if the agent was killed between writing STARTING and sending the request.
    ledger.apply(Transition.of("run0001", RunState.READY));
    ledger.apply(Transition.of("run0001", RunState.STARTING).startWith("fw-deadbeef"));
    a.runOnce();
    a.runOnce();
    RunRecord r = row("run0001");
    assertEquals(RunState.SUCCEEDED, r.state());
    assertEquals(2, r.attempts());
    assertEquals(1, fake.runs().size());
    assertTrue(fake.runs().get(0).tags().contains(r.token()));
  }

  @Test
  void runsAreHeldWhileAComputeEndpointIsOfflineAndNotLost() throws Exception {
    runDir("run0001", 1);
    fake.endpointStatus("offline");
    Agent a = agent();
    a.runOnce();
    RunRecord held = row("run0001");
    assertEquals(RunState.HELD, held.state());
    assertTrue(held.lastError().contains("frib-fit-mpi (ff16dcd1-0632-4fdd-8b0c-d239d4f1b889) is offline"),
        held.lastError());
    assertEquals(0, fake.startRequests());

    fake.endpointStatus("online");
    // The answer is cached for a minute; a new agent (as after a restart) asks again.
    ledger.close();
    http.close();
    Agent b = agent();
    b.runOnce();
    b.runOnce();
    assertEquals(RunState.SUCCEEDED, row("run0001").state());
    assertEquals(1, fake.runs().size());
  }

  @Test
  void maxActiveRunsIsRespected() throws IOException {
    for (int i = 1; i <= 5; i++) {
      runDir(String.format("run%04d", i), 1);
    }
    fake.status("ACTIVE");
    Agent a = agent("readiness: [manifest]\n  manifest: {glob: \"*.evt\", count: 1}", Map.of("MAX_ACTIVE", "2"),
        Duration.ZERO);
    a.runOnce();
    a.runOnce();
    assertEquals(2, fake.runs().size());
    fake.status("SUCCEEDED");
    a.runOnce();
    a.runOnce();
    a.runOnce();
    assertEquals(5, fake.runs().size());
    assertEquals(5, ledger.count(java.util.EnumSet.of(RunState.SUCCEEDED)));
  }
}
