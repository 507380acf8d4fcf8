package org.flowwatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.flowwatch.ledger.Ledger;
import org.flowwatch.ledger.RunState;
import org.flowwatch.testing.FakeFlows;
import org.flowwatch.testing.FakeFlows.Outcome;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The packaged agent, with real rsync as the writer, against a stateful fake Flows service. */
class AgentJarIT {
  static final FakeFlows fake = new FakeFlows();

  @RegisterExtension static WireMockExtension globus = FakeFlows.extension(fake);

  @TempDir Path dir;
  private Path watch;
  private Path log;
  private Process agent;

  @BeforeEach
  void setUp() throws IOException {
    fake.reset();
    fake.install(globus);
    watch = Files.createDirectories(dir.resolve("watch"));
    log = dir.resolve("agent.log");
    Files.writeString(dir.resolve("schema.json"), "{\"type\": \"object\", \"required\": [\"source\"]}");
  }

  @AfterEach
  void stopAgent() throws InterruptedException {
    if (agent != null && agent.isAlive()) {
      agent.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  private void config(String watchSection) throws IOException {
    Files.writeString(dir.resolve("flowwatch.yaml"), """
        collections:
          dtn: {id: 9656eff2-8105-445c-8501-154dfe1d88e5, local_root: %s, globus_root: /data}
        flow:
          id: babd88e5-d31d-48c7-b3a0-b765389b5c22
          schema: schema.json
          label: "{run.name}"
        run_directory:
          pattern: 'run(?<number>\\d+)'
        watch:
        %s
        input:
          source: {id: "{run.collection_id}", path: "{run.globus_path}"}
        """.formatted(watch, watchSection.indent(2)));
  }

  private JarRunner jar() {
    return new JarRunner(dir)
        .env("GLOBUS_SDK_SERVICE_URL_AUTH", globus.baseUrl())
        .env("GLOBUS_SDK_SERVICE_URL_FLOWS", globus.baseUrl())
        .env("GLOBUS_CLIENT_ID", "c0ffee00-1111-4222-8333-444455556666")
        .env("GLOBUS_CLIENT_SECRET", "not-a-real-secret");
  }

  private Process startAgent(String... extra) throws IOException {
    List<String> args = new java.util.ArrayList<>(List.of("--config", dir.resolve("flowwatch.yaml").toString(),
        "--watchdir", watch.toString(), "--state-dir", dir.resolve("state").toString(), "--start-grace=PT1S",
        "--status-poll=PT0.2S"));
    args.addAll(List.of(extra));
    return jar().start(log, args.toArray(String[]::new));
  }

  private void await(String what, Duration limit, BooleanSupplier condition) throws InterruptedException {
    Instant end = Instant.now().plus(limit);
    while (!condition.getAsBoolean()) {
      if (Instant.now().isAfter(end)) {
        throw new AssertionError("timed out waiting for " + what + "; agent log:\n" + readQuietly(log));
      }
      Thread.sleep(50);
    }
  }

  private long runsFor(String key) {
    return fake.runs().stream().filter(r -> r.label().startsWith(key + " \u00b7 ")).count();
  }

  private int countIn(RunState... states) {
    try (Ledger l = Ledger.open(dir.resolve("state/ledger.db"), null, Clock.systemUTC())) {
      return l.count(EnumSet.copyOf(List.of(states)));
    }
  }

  private Path source(String name, int files, int kilobytes) throws IOException {
    Path src = Files.createDirectories(dir.resolve("src").resolve(name));
    byte[] data = new byte[kilobytes * 1024];
    new Random(7).nextBytes(data);
    for (int i = 0; i < files; i++) {
      Files.write(src.resolve(String.format("%s-%02d.evt", name, i)), data);
    }
    return src;
  }

  private Process rsync(Path src, int kbPerSecond) throws IOException {
    return new ProcessBuilder("rsync", "-a", "--bwlimit=" + kbPerSecond, src.toString(), watch + "/")
        .redirectErrorStream(true).redirectOutput(dir.resolve("rsync.log").toFile()).start();
  }

  @Test
  void aSlowRsyncStartsExactlyOneRunAndOnlyAfterItFinished() throws Exception {
    config("readiness: [settle]\ntrigger_delay: 2s\nscan_interval: 200ms");
    agent = startAgent();
    Process copy = rsync(source("run0001", 3, 256), 256); // about 3 s of copying
    assertTrue(copy.waitFor(60, TimeUnit.SECONDS));
    Instant copied = Instant.now();
    assertEquals(0, copy.exitValue(), Files.readString(dir.resolve("rsync.log")));

    await("the run to start", Duration.ofSeconds(30), () -> fake.runs().size() == 1);
    Thread.sleep(1500);

    assertEquals(1, fake.runs().size(), Files.readString(log));
    assertTrue(fake.runs().get(0).receivedAt().isAfter(copied), "started before rsync finished");
    assertTrue(Duration.between(copied, fake.runs().get(0).receivedAt()).compareTo(Duration.ofMillis(1900)) > 0,
        "started before the directory had been quiet for the trigger delay");
  }

  @Test
  void aSentinelWrittenLastStartsTheRunAndNothingBefore() throws Exception {
    config("readiness: [sentinel]\nsentinel: .transfer_complete\nscan_interval: 200ms");
    agent = startAgent();
    Process copy = rsync(source("run0002", 2, 128), 256);
    assertTrue(copy.waitFor(60, TimeUnit.SECONDS));
    Thread.sleep(1000);
    assertEquals(0, fake.runs().size(), "started without the sentinel");

    Instant marked = Instant.now();
    Files.createFile(watch.resolve("run0002/.transfer_complete"));
    await("the run to start", Duration.ofSeconds(20), () -> fake.runs().size() == 1);
    Thread.sleep(1000);
    assertEquals(1, fake.runs().size());
    assertTrue(fake.runs().get(0).receivedAt().isAfter(marked));
  }

  @Test
  void directoriesCreatedWhileTheAgentWasDownAreStartedOnceAfterRestart() throws Exception {
    config("readiness: [manifest]\nmanifest: {count: 1}\nscan_interval: 200ms");
    for (String name : List.of("run0001", "run0002")) {
      Files.writeString(Files.createDirectories(watch.resolve(name)).resolve("a.evt"), "x");
    }
    agent = startAgent();
    await("two runs", Duration.ofSeconds(20), () -> countIn(RunState.SUCCEEDED) == 2);
    agent.destroy(); // SIGTERM: a clean stop; the JVM reports it as 128 + 15
    assertTrue(agent.waitFor(30, TimeUnit.SECONDS));
    assertEquals(143, agent.exitValue(), Files.readString(log));
    assertTrue(Files.readString(log).contains("stopped"), Files.readString(log));

    for (String name : List.of("run0003", "run0004", "run0005")) {
      Files.writeString(Files.createDirectories(watch.resolve(name)).resolve("a.evt"), "x");
    }
    agent = startAgent();
    await("five runs", Duration.ofSeconds(20), () -> countIn(RunState.SUCCEEDED) == 5);
    assertEquals(5, fake.runs().size());
    for (int i = 1; i <= 5; i++) {
      assertEquals(1, runsFor(String.format("run%04d", i)));
    }
  }

  @Test
  void aSecondAgentOnTheSameLedgerRefusesAndNamesTheFirst() throws Exception {
    config("readiness: [manifest]\nmanifest: {count: 1}\nscan_interval: 200ms");
    agent = startAgent();
    await("the first agent to start", Duration.ofSeconds(20),
        () -> Files.exists(dir.resolve("state/agent.lock")) && readQuietly(log).contains("watching"));
    JarRunner.Result second = jar().run("--config", dir.resolve("flowwatch.yaml").toString(), "--watchdir",
        watch.toString(), "--state-dir", dir.resolve("state").toString()).assertNoStackTrace();
    assertEquals(9, second.code(), second.err());
    assertTrue(second.err().contains("another flowwatch agent already uses the ledger"), second.err());
    assertTrue(second.err().contains("pid " + agent.pid()), second.err());
  }

  @Test
  void statusListsTheLedgerAndRetryRequeuesFailedRuns() throws Exception {
    config("readiness: [manifest]\nmanifest: {count: 1}\nscan_interval: 200ms");
    Files.writeString(Files.createDirectories(watch.resolve("run0009")).resolve("a.evt"), "x");
    fake.status("FAILED");
    JarRunner.Result once = jar().run("--config", dir.resolve("flowwatch.yaml").toString(), "--watchdir",
        watch.toString(), "--state-dir", dir.resolve("state").toString(), "--once");
    assertEquals(0, once.code(), once.err());
    jar().run("--config", dir.resolve("flowwatch.yaml").toString(), "--watchdir", watch.toString(), "--state-dir",
        dir.resolve("state").toString(), "--once", "--status-poll=PT0S");

    JarRunner.Result status = jar().run("--state-dir", dir.resolve("state").toString(), "status").assertNoStackTrace();
    assertEquals(0, status.code(), status.err());
    assertTrue(status.out().contains("run0009") && status.out().contains("FAILED"), status.out());

    JarRunner.Result retry = jar().run("--state-dir", dir.resolve("state").toString(), "retry", "--state", "FAILED");
    assertEquals(0, retry.code(), retry.err());
    assertEquals("run0009: FAILED -> READY\n", retry.out());

    JarRunner.Result detail = jar().run("--state-dir", dir.resolve("state").toString(), "status", "run0009");
    assertTrue(detail.out().contains("FAILED -> READY  flowwatch retry (was FAILED)"), detail.out());
    JarRunner.Result json = jar().run("--state-dir", dir.resolve("state").toString(), "status", "--json");
    assertTrue(json.out().contains("\"state\" : \"READY\""), json.out());
  }

  @Test
  void killNineDuringABurstWithStartsInFlightNeitherLosesNorDuplicatesARun() throws Exception {
    int dirs = 200;
    config("readiness: [manifest]\nmanifest: {count: 1}\nscan_interval: 200ms\nmax_active_runs: 1000\n"
        + "max_starts_per_minute: 100000\nconcurrent_starts: 8");
    fake.startHold(40); // requests overlap, so most kills land with several of them out
    for (int i = 0; i < dirs; i++) {
      Files.writeString(Files.createDirectories(watch.resolve(String.format("run%04d", i))).resolve("a.evt"), "x");
    }
    Random random = new Random(42);
    fake.policy(n -> {
      int roll = Math.floorMod(n * 7919, 100);
      return roll < 15 ? Outcome.ACCEPT_THEN_DROP : roll < 30 ? Outcome.ACCEPT_THEN_502 : Outcome.ACCEPT;
    });
    int kills = 0;
    for (int round = 0; round < 12 && countIn(RunState.SUCCEEDED) < dirs; round++) {
      agent = startAgent();
      Thread.sleep(700 + random.nextInt(900));
      agent.destroyForcibly().waitFor(10, TimeUnit.SECONDS); // SIGKILL, at whatever instant it lands
      kills++;
    }
    agent = startAgent();
    await("every directory to finish", Duration.ofMinutes(3), () -> countIn(RunState.SUCCEEDED) == dirs);

    assertTrue(kills >= 5, "the agent was killed only " + kills + " times");
    for (int i = 0; i < dirs; i++) {
      String key = String.format("run%04d", i);
      assertEquals(1, runsFor(key), key + " has " + runsFor(key) + " runs at the service");
    }
    assertEquals(dirs, fake.runs().size());
    assertTrue(fake.faults() > 20, "the fault injection fired only " + fake.faults() + " times");
    assertTrue(fake.maxInFlight() >= 4, "at most " + fake.maxInFlight() + " starts were ever out at once");
  }

  private static String readQuietly(Path p) {
    try {
      return Files.readString(p);
    } catch (IOException e) {
      return "";
    }
  }
}
