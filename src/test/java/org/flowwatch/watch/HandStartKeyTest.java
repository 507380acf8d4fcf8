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
import org.flowwatch.testing.ConfigFiles;
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
    ConfigFiles.writeSmall(config, watch,
        "id: babd88e5-d31d-48c7-b3a0-b765389b5c22\nschema: schema.json\nlabel: \"{run.name}\"",
        "run(?<number>\\d+)|landing\\d+", "readiness: [manifest]\nmanifest: {count: 1}");
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
