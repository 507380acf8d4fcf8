package org.flowwatch.watch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.flowwatch.config.Config;
import org.flowwatch.globus.AuthMode;
import org.flowwatch.globus.ConsentRequiredException;
import org.flowwatch.globus.GlobusException;
import org.flowwatch.globus.MutableClock;
import org.flowwatch.globus.NotFoundException;
import org.flowwatch.globus.RateLimitedException;
import org.flowwatch.ledger.Ledger;
import org.flowwatch.ledger.RunRecord;
import org.flowwatch.ledger.RunState;
import org.flowwatch.ledger.Transition;
import org.flowwatch.notify.RunEvents;
import org.flowwatch.run.ConfigFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the agent reports to its RunEvents: every applied transition, and each pause of all starts. */
class StartPauseReportTest {
  private static final String SCHEMA = "{\"type\": \"object\", \"required\": [\"number\"]}";

  @TempDir Path dir;
  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T08:00:00Z"));
  private final InMemoryFlowRuns flows = new InMemoryFlowRuns();
  private final List<String> reports = new ArrayList<>();
  private Path root;
  private Ledger ledger;
  private TransitionLog log;

  @BeforeEach
  void setUp() throws IOException {
    root = Files.createDirectories(dir.resolve("watch"));
    Files.writeString(dir.resolve("schema.json"), SCHEMA);
    ledger = Ledger.open(dir.resolve("state/ledger.db"), root, clock);
    log = new TransitionLog(ledger, new RunEvents() {
      @Override
      public void applied(RunRecord row, String reason) {
        reports.add(row.key() + " " + row.state());
      }

      @Override
      public void startsPaused(String why, Instant until, boolean credentials) {
        reports.add((credentials ? "credentials: " : "paused: ") + why + " until " + until);
      }
    });
  }

  @AfterEach
  void tearDown() {
    ledger.close();
  }

  private void drainWith(GlobusException refusal) throws IOException {
    Config config = ConfigFixture.config().collection("dtn", "9656eff2-8105-445c-8501-154dfe1d88e5", root, "/data")
        .input(new ObjectMapper().readTree("{\"number\": \"{run.number}\"}")).schema(dir.resolve("schema.json"))
        .build();
    Path run = Files.createDirectories(root.resolve("run0001"));
    Files.writeString(run.resolve("seg.evt"), "x");
    log.apply(Transition.of("run0001", RunState.READY).reason("complete"));
    flows.failNextStart(refusal);
    StartQueue queue = new StartQueue(root, () -> true, new RunLauncher(config, Map.of()),
        new RunStarter(flows, log, clock, Duration.ofSeconds(90)), log, new StartPacer(30), 20, 8,
        java.util.concurrent.Executors.newCachedThreadPool(), clock);
    queue.drain(ledger.inStates(EnumSet.of(RunState.STARTING, RunState.READY)), 0, () -> false);
  }

  @Test
  void missingConsentIsReportedAsACredentialsPause() throws IOException {
    drainWith(new ConsentRequiredException("start a run", "the service answered 403 ConsentRequired",
        List.of("https://auth.globus.org/scopes/x/flow_x_user"), AuthMode.CLIENT, "c0ffee", null));

    assertEquals(List.of("run0001 READY", "run0001 STARTING", "run0001 READY"), reports.subList(0, 3));
    assertEquals(4, reports.size(), reports.toString());
    assertTrue(reports.get(3).startsWith("credentials: "), reports.toString());
    assertTrue(reports.get(3).contains("ConsentRequired"), reports.toString());
  }

  @Test
  void aRefusalEveryStartWouldHitIsReportedAsAPause() throws IOException {
    drainWith(new NotFoundException("start a run", "the service answered 404: no such flow", "check flow.id", null));

    assertTrue(reports.get(reports.size() - 1).startsWith("paused: "), reports.toString());
  }

  @Test
  void aRateLimitIsNoOnesProblem() throws IOException {
    drainWith(new RateLimitedException("start a run", "the service answered 429", Duration.ofSeconds(5), null));

    assertTrue(reports.stream().noneMatch(r -> r.startsWith("paused") || r.startsWith("credentials")),
        reports.toString());
  }
}
