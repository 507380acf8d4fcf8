package org.flowwatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.flowwatch.ledger.Ledger;
import org.flowwatch.ledger.RunRecord;
import org.flowwatch.ledger.RunState;
import org.flowwatch.local.LocalRunStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged jar with {@code --engine local}: no Globus service at all, the flow definition run by the
 * local engine, Compute functions run with python3 — and a kill -9 in the middle of a run.
 */
class LocalEngineJarIT {
  private static final String ENDPOINT = "2a9b3c4d-1111-4222-8333-444455556666";
  private static final String FIRST = "3b0c4d5e-1111-4222-8333-444455556666";
  private static final String SLOW = "4c1d5e6f-1111-4222-8333-444455556666";

  @TempDir Path dir;
  private Path watch;
  private Path marks;
  private Process agent;

  @BeforeEach
  void setUp() throws IOException {
    watch = Files.createDirectories(dir.resolve("watch"));
    marks = Files.createDirectories(dir.resolve("marks"));
    // Each function appends one line per call to a file of its own: how often each state really ran.
    Files.writeString(dir.resolve("functions.py"), """
        import time

        def first(marks, run):
            with open(marks + "/first-" + run, "a") as f:
                f.write("ran\\n")
            return "first done"

        def slow(marks, run, seconds):
            with open(marks + "/slow-" + run, "a") as f:
                f.write("ran\\n")
            time.sleep(seconds)
            return "slow done"
        """);
    Files.writeString(dir.resolve("flow.json"), """
        {"StartAt": "First", "States": {
          "First": {"Type": "Action", "ActionUrl": "https://compute.actions.globus.org/v3",
            "Parameters": {"endpoint_id": "%1$s", "tasks": [{"function_id": "%2$s",
              "kwargs": {"marks.$": "$.marks", "run.$": "$.run"}}]},
            "ResultPath": "$.first", "ExceptionOnActionFailure": true, "Next": "Slow"},
          "Slow": {"Type": "Action", "ActionUrl": "https://compute.actions.globus.org/v3",
            "Parameters": {"endpoint_id": "%1$s", "tasks": [{"function_id": "%3$s",
              "kwargs": {"marks.$": "$.marks", "run.$": "$.run", "seconds": 3}}]},
            "ResultPath": "$.slow", "ExceptionOnActionFailure": true, "WaitTime": 60, "End": true}}}
        """.formatted(ENDPOINT, FIRST, SLOW));
    Files.writeString(dir.resolve("schema.json"), "{\"type\": \"object\", \"required\": [\"marks\", \"run\"]}");
    Files.writeString(dir.resolve("flowwatch.yaml"), """
        collections:
          dtn: {id: 9656eff2-8105-445c-8501-154dfe1d88e5, local_root: %s}
        flow:
          id: babd88e5-d31d-48c7-b3a0-b765389b5c22
          definition: flow.json
          schema: schema.json
          label: "{run.name}"
        run_directory:
          pattern: 'run(?<number>\\d+)'
        watch:
          readiness: [manifest]
          manifest: {count: 1}
          scan_interval: 200ms
        compute:
          endpoints:
            here: {id: %s, name: here}
          functions:
            first: {source: functions.py, function: first, endpoint: here, id: %s}
            slow: {source: functions.py, function: slow, endpoint: here, id: %s}
        input:
          marks: "%s"
          run: "{run.name}"
        """.formatted(watch, ENDPOINT, FIRST, SLOW, marks));
  }

  @AfterEach
  void stop() throws InterruptedException {
    if (agent != null && agent.isAlive()) {
      agent.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  private Process startAgent() throws IOException {
    return new JarRunner(dir).start(dir.resolve("agent.log"), "--config", dir.resolve("flowwatch.yaml").toString(),
        "--watchdir", watch.toString(), "--state-dir", dir.resolve("state").toString(), "--engine", "local",
        "--status-poll=PT1S");
  }

  @Test
  void aLocalRunKilledMidStateResumesThereAfterARestartAndCompletesOnce() throws Exception {
    Files.writeString(Files.createDirectories(watch.resolve("run0001")).resolve("a.evt"), "x");
    agent = startAgent();
    await("the slow state to start", Duration.ofSeconds(60), () -> Files.exists(marks.resolve("slow-run0001")));

    agent.destroyForcibly().waitFor(10, TimeUnit.SECONDS); // SIGKILL in the middle of Slow
    agent = startAgent();
    await("the run to succeed", Duration.ofSeconds(60), () -> state("run0001") == RunState.SUCCEEDED);

    assertEquals(List.of("ran"), Files.readAllLines(marks.resolve("first-run0001")), "First ran once");
    assertEquals(List.of("ran", "ran"), Files.readAllLines(marks.resolve("slow-run0001")),
        "Slow was re-executed after the kill");
    try (LocalRunStore store = LocalRunStore.open(dir.resolve("state"))) {
      assertEquals(0, store.active().size());
      String runId = row("run0001").runId();
      assertTrue(store.logOf(runId).stream().anyMatch(l -> l.contains("resumed: re-executing Slow")),
          String.join("\n", store.logOf(runId)));
    }
    assertEquals(1, row("run0001").attempts(), "one start, one run");
  }

  private RunRecord row(String key) {
    try (Ledger ledger = Ledger.open(dir.resolve("state/ledger.db"), null, Clock.systemUTC())) {
      return ledger.get(key).orElse(null);
    }
  }

  private RunState state(String key) {
    RunRecord r = row(key);
    return r == null ? null : r.state();
  }

  private void await(String what, Duration limit, BooleanSupplier condition) throws Exception {
    long end = System.nanoTime() + limit.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("timed out waiting for " + what + "; agent log:\n"
            + Files.readString(dir.resolve("agent.log")));
      }
      Thread.sleep(100);
    }
  }
}
