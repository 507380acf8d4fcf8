package org.flowwatch.watch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.flowwatch.config.Config;
import org.flowwatch.globus.Sleeper;
import org.flowwatch.globus.compute.ComputeClient;
import org.flowwatch.globus.flows.FlowRuns;
import org.flowwatch.ledger.Ledger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run directory that is a link inside the watch root keeps the key the agent gives it. */
class HandStartKeyTest {
  @TempDir Path tmp;

  @Test
  void aLinkInsideTheRootIsStartedUnderItsOwnNameInTheAgentsLedger() throws Exception {
    Path dir = tmp.toRealPath();
    Path watch = Files.createDirectories(dir.resolve("watch"));
    Path landing = Files.createDirectories(watch.resolve("incoming/landing5"));
    Files.writeString(landing.resolve("seg.evt"), "x");
    Path link = Files.createSymbolicLink(watch.resolve("run5"), landing);
    Files.writeString(dir.resolve("schema.json"), "{\"type\": \"object\"}");
    Path config = dir.resolve("flowwatch.yaml");
    Files.writeString(config, """
        collections:
          dtn: {id: 9656eff2-8105-445c-8501-154dfe1d88e5, local_root: %s, globus_root: /data}
        flow:
          id: babd88e5-d31d-48c7-b3a0-b765389b5c22
          schema: schema.json
          label: "{run.name}"
        run_directory:
          pattern: 'run(?<number>\\d+)|landing\\d+'
        watch:
          readiness: [manifest]
          manifest: {count: 1}
        input:
          source: {id: "{run.collection_id}", path: "{run.globus_path}"}
        """.formatted(watch));
    Path state = dir.resolve("state");
    Ledger.open(state.resolve("ledger.db"), watch, Clock.systemUTC()).close(); // the agent's ledger
    InMemoryFlowRuns runs = new InMemoryFlowRuns();
    Services services = new Services() {
      @Override
      public FlowRuns flowRuns(Config c) {
        return runs;
      }

      @Override
      public ComputeClient compute(Config c) {
        return null;
      }

      @Override
      public void abandonCalls() {}
    };
    StringWriter err = new StringWriter();
    StartOptions options = new StartOptions(config, null, state, null, link, false, false, false, false, false,
        Duration.ofSeconds(1), new AgentOptions(Duration.ofSeconds(90), Duration.ZERO));

    Outcome outcome = new HandStart(new PrintWriter(new StringWriter()), new PrintWriter(err, true), Map.of(),
        Clock.systemUTC(), Sleeper.SYSTEM).run(options, services);

    assertEquals(Outcome.OK, outcome, err.toString());
    try (Ledger ledger = Ledger.open(state.resolve("ledger.db"), watch, Clock.systemUTC())) {
      assertTrue(ledger.get("run5").isPresent(), "keyed by the link's name, as the agent keys it");
      assertTrue(ledger.get("landing5").isEmpty());
    }
  }
}
