package org.flowwatch.watch;

import java.time.Instant;
import org.flowwatch.globus.MutableClock;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.flowwatch.config.Config;
import org.flowwatch.globus.flows.TriggerToken;
import org.flowwatch.ledger.Ledger;
import org.flowwatch.ledger.RunRecord;
import org.flowwatch.ledger.RunState;
import org.flowwatch.ledger.Transition;
import org.flowwatch.run.ConfigFixture;
import org.flowwatch.run.TreeSnapshot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The start queue: what it starts, in which order, and what holds it back. */
class StartQueueTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SCHEMA = """
      {"type": "object", "required": ["number"],
       "properties": {"number": {"type": "integer", "minimum": 1}}}
      """;

  @TempDir Path dir;
  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T08:00:00Z"));
  private final InMemoryFlowRuns flows = new InMemoryFlowRuns();
  private Path root;
  private Path schema;
  private Ledger ledger;
  private TransitionLog log;

  @BeforeEach
  void setUp() throws IOException {
    root = Files.createDirectories(dir.resolve("watch"));
    schema = Files.writeString(dir.resolve("schema.json"), SCHEMA);
    ledger = Ledger.open(dir.resolve("state/ledger.db"), root, clock);
    log = new TransitionLog(ledger);
  }

  @AfterEach
  void tearDown() {
    ledger.close();
  }

  private Config config(String input, Path schemaFile) throws IOException {
    return ConfigFixture.config().collection("dtn", "9656eff2-8105-445c-8501-154dfe1d88e5", root, "/data")
        .input(JSON.readTree(input)).schema(schemaFile).build();
  }

  private StartQueue queue(Config config, int perMinute, int maxActive) {
    return queue(config, perMinute, maxActive, 8);
  }

  private StartQueue queue(Config config, int perMinute, int maxActive, int batch) {
    return new StartQueue(root, () -> true, new RunLauncher(config, Map.of()),
        new RunStarter(flows, log, clock, Duration.ofSeconds(90)), log, new StartPacer(perMinute), maxActive, batch,
        java.util.concurrent.Executors.newCachedThreadPool(), clock);
  }

  private StartQueue queue(int perMinute, int maxActive) throws IOException {
    return queue(config("{\"number\": \"{run.number}\"}", schema), perMinute, maxActive);
  }

  private void ready(String... keys) throws IOException {
    for (String key : keys) {
      Path run = Files.createDirectories(root.resolve(key));
      Files.writeString(run.resolve("seg.evt"), "x");
      ledger.apply(Transition.of(key, RunState.READY).reason("complete"));
    }
  }

  /** What the agent hands the queue: STARTING and READY rows, as the ledger lists them (by key). */
  private List<RunRecord> due() {
    return ledger.inStates(EnumSet.of(RunState.STARTING, RunState.READY));
  }

  private List<StartOutcome> drain(StartQueue q) {
    return q.drain(due(), ledger.count(RunState.IN_FLIGHT), () -> false);
  }

  private RunState state(String key) {
    return ledger.get(key).orElseThrow().state();
  }

  @Test
  void givenTheWatchRootLeadsElsewhereNow_whenDrained_thenNothingStartsAndTheRowsWaitReady() throws IOException {
    ready("run0001");
    StartQueue q = new StartQueue(root, () -> false, new RunLauncher(config("{\"number\": \"{run.number}\"}",
        schema), Map.of()), new RunStarter(flows, log, clock, Duration.ofSeconds(90)), log, new StartPacer(30), 5,
        8, Runnable::run, clock);

    q.drain(due(), 0, () -> false);

    assertEquals(0, flows.starts().size());
    assertEquals(RunState.READY, state("run0001"));
  }

  @Test
  void givenTheInFlightLimitIsNearlyReached_whenDrained_thenOnlyTheFreeSlotsStart() throws IOException {
    ready("run0001", "run0002", "run0003");

    List<StartOutcome> done = queue(30, 2).drain(due(), 1, () -> false);

    assertEquals(1, done.size());
    assertEquals(1, flows.starts().size());
    assertEquals(RunState.ACTIVE, state("run0001"));
    assertEquals(RunState.READY, state("run0002"));
    assertEquals(RunState.READY, state("run0003"));
  }

  @Test
  void givenStartsInThisDrain_whenTheyReachTheInFlightLimit_thenTheRestWait() throws IOException {
    ready("run0001", "run0002", "run0003");

    drain(queue(30, 2));

    assertEquals(2, flows.starts().size());
    assertEquals(RunState.READY, state("run0003"));
  }

  @Test
  void givenAPerMinuteBudget_whenMoreAreReady_thenTheRestStartOnceTheMinuteHasPassed() throws IOException {
    ready("run0001", "run0002", "run0003");
    StartQueue q = queue(2, 50);

    drain(q);
    assertEquals(2, flows.starts().size());
    clock.advance(Duration.ofSeconds(30));
    drain(q);
    assertEquals(2, flows.starts().size());
    clock.advance(Duration.ofSeconds(31));
    drain(q);

    assertEquals(3, flows.starts().size());
    assertEquals(RunState.ACTIVE, state("run0003"));
  }

  @Test
  void givenA429WithRetryAfter_whenDrained_thenEveryStartWaitsUntilThen() throws IOException {
    ready("run0001", "run0002", "run0003");
    flows.failNextStart(InMemoryFlowRuns.rateLimited(Duration.ofSeconds(60)));
    StartQueue q = queue(config("{\"number\": \"{run.number}\"}", schema), 30, 50, 1);

    drain(q);
    assertEquals(1, flows.starts().size(), "no start after the 429 in the same drain");
    clock.advance(Duration.ofSeconds(59));
    drain(q);
    assertEquals(1, flows.starts().size(), "rows without a backoff of their own wait too");
    assertEquals(clock.instant().plusSeconds(1), q.nextSlot());

    clock.advance(Duration.ofSeconds(1));
    drain(q);
    assertEquals(4, flows.starts().size());
    assertEquals(3, ledger.count(EnumSet.of(RunState.ACTIVE)));
  }

  @Test
  void givenA429InTheWindow_whenDrained_thenWhatWasOutStartsAndNothingMoreIsSent() throws IOException {
    for (int i = 1; i <= 12; i++) {
      ready(String.format("run%04d", i));
    }
    flows.failNextStart(InMemoryFlowRuns.rateLimited(Duration.ofSeconds(60)));
    StartQueue q = queue(config("{\"number\": \"{run.number}\"}", schema), 100, 50, 8);

    drain(q);

    // What was out when the 429 came still starts; nothing is sent once it has come.
    int sent = flows.starts().size();
    assertTrue(sent >= 4 && sent <= 8, "one group or two may be out before the 429 is read, not " + sent);
    assertEquals(sent - 1, ledger.count(EnumSet.of(RunState.ACTIVE)));
    assertEquals(12 - (sent - 1), ledger.count(EnumSet.of(RunState.READY)), "the refused one and those not sent");
    clock.advance(Duration.ofSeconds(60));
    drain(q);
    assertEquals(12, ledger.count(EnumSet.of(RunState.ACTIVE)));
  }

  @Test
  void givenMoreReadyRowsThanTheWindow_whenDrained_thenEveryRequestGoesOutWithItsStartingRowOnDisk()
      throws IOException {
    for (int i = 1; i <= 10; i++) {
      ready(String.format("run%04d", i));
    }
    List<int[]> sends = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
    java.util.concurrent.atomic.AtomicInteger sent = new java.util.concurrent.atomic.AtomicInteger();
    flows.onStart(token -> sends.add(new int[] {sent.incrementAndGet(),
        committed(RunState.STARTING) + committed(RunState.ACTIVE)}));

    drain(queue(config("{\"number\": \"{run.number}\"}", schema), 100, 50, 4));

    assertEquals(10, ledger.count(EnumSet.of(RunState.ACTIVE)));
    assertEquals(10, sends.size());
    for (int[] s : sends) {
      assertTrue(s[1] >= s[0], "request " + s[0] + " went out with only " + s[1] + " rows committed");
    }
  }

  @Test
  void givenOneSlowAnswer_whenDrained_thenTheRestStartWhileItIsOutAndNoMoreThanTheWindowIsOut()
      throws Exception {
    for (int i = 1; i <= 10; i++) {
      ready(String.format("run%04d", i));
    }
    HeldStarts held = new HeldStarts(flows, "run0001", 9);

    new StartQueue(root, () -> true, new RunLauncher(config("{\"number\": \"{run.number}\"}", schema), Map.of()),
        new RunStarter(held, log, clock, Duration.ofSeconds(90)), log, new StartPacer(100), 50, 4,
        java.util.concurrent.Executors.newCachedThreadPool(), clock).drain(due(), 0, () -> false);

    assertTrue(held.releasedByTheOthers, "the nine other starts did not all go out while run0001's was out");
    assertTrue(held.mostOut <= 4, "at most the window is out at once, not " + held.mostOut);
    assertEquals(10, ledger.count(EnumSet.of(RunState.ACTIVE)));
  }

  @Test
  void givenAGroupBuiltWhileA429WasOut_whenThe429Comes_thenTheGroupIsNotSent() throws IOException {
    ready("run0001", "run0002", "run0003");
    flows.failNextStart(InMemoryFlowRuns.rateLimited(Duration.ofSeconds(60)));
    // run0002 reaches the service first: the 429. run0001 is held until that 429 has been taken in (its
    // row written READY with the error): released at the 429's answer alone, run0001's answer could be
    // taken in first, and would rightly make room for run0003.
    HeldStarts held = new HeldStarts(flows, "run0001",
        () -> ledger.get("run0002").map(r -> r.lastError() != null).orElse(false));

    // A window of 2, groups of 1: run0003 is built while run0001 and run0002 are out, and its room comes
    // with run0002's 429.
    new StartQueue(root, () -> true, new RunLauncher(config("{\"number\": \"{run.number}\"}", schema), Map.of()),
        new RunStarter(held, log, clock, Duration.ofSeconds(90)), log, new StartPacer(100), 50, 2,
        java.util.concurrent.Executors.newCachedThreadPool(), clock).drain(due(), 0, () -> false);

    assertEquals(2, held.sent.get(), "run0003 was sent after the 429 had come");
    assertEquals(RunState.ACTIVE, state("run0001"));
    assertEquals(RunState.READY, state("run0002"));
    assertEquals(RunState.READY, state("run0003"));
  }

  /**
   * The in-memory service, holding the start of one run directory until the given number of others have
   * been answered, or until a condition holds (or 10 s passed), and noting how many requests were out at
   * once.
   */
  private static final class HeldStarts implements org.flowwatch.globus.flows.FlowRuns {
    private final InMemoryFlowRuns flows;
    private final String slow;
    private final java.util.concurrent.CountDownLatch others;
    private final java.util.concurrent.atomic.AtomicInteger out = new java.util.concurrent.atomic.AtomicInteger();
    final java.util.concurrent.atomic.AtomicInteger sent = new java.util.concurrent.atomic.AtomicInteger();
    volatile int mostOut;
    volatile boolean releasedByTheOthers;

    private final java.util.function.BooleanSupplier release;

    HeldStarts(InMemoryFlowRuns flows, String slow, int others) {
      this.flows = flows;
      this.slow = slow;
      this.others = new java.util.concurrent.CountDownLatch(others);
      this.release = () -> this.others.getCount() == 0;
    }

    HeldStarts(InMemoryFlowRuns flows, String slow, java.util.function.BooleanSupplier release) {
      this.flows = flows;
      this.slow = slow;
      this.others = new java.util.concurrent.CountDownLatch(0);
      this.release = release;
    }

    @Override
    public org.flowwatch.globus.flows.FlowRun start(org.flowwatch.globus.flows.StartRun run, TriggerToken token) {
      sent.incrementAndGet();
      int now = out.incrementAndGet();
      synchronized (this) {
        mostOut = Math.max(mostOut, now);
      }
      try {
        if (run.label().startsWith(slow)) {
          long giveUpAt = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
          while (!release.getAsBoolean() && System.nanoTime() - giveUpAt < 0) {
            try {
              Thread.sleep(2);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
              break;
            }
          }
          releasedByTheOthers = release.getAsBoolean();
          return flows.start(run, token);
        }
        try {
          return flows.start(run, token);
        } finally {
          others.countDown(); // answered, a refusal included
        }
      } finally {
        out.decrementAndGet();
      }
    }

    @Override
    public void authorizeStart() {
      flows.authorizeStart();
    }

    @Override
    public java.util.Optional<org.flowwatch.globus.flows.FlowRun> findByToken(TriggerToken token) {
      return flows.findByToken(token);
    }

    @Override
    public org.flowwatch.globus.flows.FlowRun get(UUID runId) {
      return flows.get(runId);
    }

    @Override
    public List<org.flowwatch.globus.flows.FlowRun> listActive() {
      return flows.listActive();
    }

    @Override
    public List<org.flowwatch.globus.flows.FlowRun> listEndedSince(Instant since) {
      return flows.listEndedSince(since);
    }
  }

  /** Rows in a state as another connection sees them: only what was committed. */
  private int committed(RunState state) {
    try (Ledger other = Ledger.open(ledger.file(), null, Clock.systemUTC())) {
      return other.count(EnumSet.of(state));
    }
  }

  @Test
  void givenAStartingRowAfterAReadyOne_whenDrained_thenTheStartingRowIsReconciledFirst() throws IOException {
    ready("run0001", "run0002");
    TriggerToken token = new TriggerToken("fw-0000abcd");
    ledger.apply(Transition.of("run0002", RunState.STARTING).from(RunState.READY).startWith(token.value()));
    UUID lost = flows.plant(token, "run0002");

    drain(queue(30, 50));

    assertEquals(List.of("find fw-0000abcd", "start run0001"), flows.calls());
    assertEquals(lost.toString(), ledger.get("run0002").orElseThrow().runId());
    assertEquals(RunState.ACTIVE, state("run0002"));
    assertEquals(RunState.ACTIVE, state("run0001"));
  }

  @Test
  void givenStartingRowsFillTheInFlightLimit_whenDrained_thenTheyAreStillReconciled() throws IOException {
    ready("run0001", "run0002");
    TriggerToken token = new TriggerToken("fw-0000abcd");
    ledger.apply(Transition.of("run0002", RunState.STARTING).from(RunState.READY).startWith(token.value()));
    flows.plant(token, "run0002");

    drain(queue(30, 1)); // run0002 is the one run in flight

    assertEquals(RunState.ACTIVE, state("run0002"), "a full in-flight limit must not stop the reconcile");
    assertEquals(RunState.READY, state("run0001"));
    assertEquals(0, flows.callsStartingWith("start"));
  }

  @Test
  void givenATemplateNamingAnUnknownFact_whenDrained_thenItIsAConfigProblemAndNoRowIsInvalid()
      throws IOException {
    ready("run0001", "run0002");
    StartQueue q = queue(config("{\"number\": \"{run.nope}\"}", schema), 30, 50);

    ConfigProblem e = assertThrows(ConfigProblem.class, () -> drain(q));

    assertTrue(e.getMessage().contains("run.nope"), e.getMessage());
    assertEquals(RunState.READY, state("run0001"));
    assertEquals(RunState.READY, state("run0002"));
    assertEquals(0, ledger.count(EnumSet.of(RunState.INVALID)));
    assertEquals(List.of(), flows.calls());
  }

  @Test
  void givenASchemaFileThatIsGone_whenDrained_thenItIsAConfigProblemAndNoRowIsInvalid() throws IOException {
    ready("run0001");
    StartQueue q = queue(config("{\"number\": \"{run.number}\"}", dir.resolve("missing.json")), 30, 50);

    ConfigProblem e = assertThrows(ConfigProblem.class, () -> drain(q));

    assertTrue(e.getMessage().contains("missing.json"), e.getMessage());
    assertEquals(RunState.READY, state("run0001"));
    assertTrue(ledger.history("run0001").stream().noneMatch(h -> h.to() == RunState.INVALID));
    assertEquals(List.of(), flows.calls());
  }

  @Test
  void givenADocumentThatBreaksTheSchema_whenDrained_thenThatRowIsInvalidAndTheOthersStart() throws IOException {
    ready("run0", "run0001"); // run0 gives number 0, below the schema's minimum

    drain(queue(30, 50));

    RunRecord bad = ledger.get("run0").orElseThrow();
    assertEquals(RunState.INVALID, bad.state());
    assertTrue(bad.lastError().contains("/number"), bad.lastError());
    assertEquals(TreeSnapshot.take(root.resolve("run0"), null).fingerprint(), bad.fingerprint());
    assertEquals(RunState.ACTIVE, state("run0001"));
    assertEquals(List.of("start run0001"), flows.calls());
  }

  @Test
  void givenAReadyDirectoryThatVanished_whenDrained_thenItIsSettlingAgainAndNothingIsSent() throws IOException {
    ready("run0001");
    Files.delete(root.resolve("run0001/seg.evt"));
    Files.delete(root.resolve("run0001"));

    drain(queue(30, 50));

    assertEquals(RunState.SETTLING, state("run0001"));
    assertEquals(List.of(), flows.calls());
  }

  @Test
  void givenARowInItsOwnBackoff_whenDrained_thenItIsSkippedAndLaterRowsStillStart() throws IOException {
    ready("run0001", "run0002");
    ledger.apply(Transition.of("run0001", RunState.READY).notBefore(clock.instant().plusSeconds(60)));

    drain(queue(30, 50));

    assertEquals(List.of("start run0002"), flows.calls());
    assertEquals(RunState.READY, state("run0001"));
  }

  @Test
  void givenTheAgentIsStopping_whenDrained_thenNothingIsSent() throws IOException {
    ready("run0001");

    List<StartOutcome> done = queue(30, 50).drain(due(), 0, () -> true);

    assertEquals(List.of(), done);
    assertEquals(List.of(), flows.calls());
  }
}
