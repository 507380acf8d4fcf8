package org.flowwatch.watch;

import org.flowwatch.globus.MutableClock;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.flowwatch.globus.InvalidRequestException;
import org.flowwatch.globus.ServiceUnavailableException;
import org.flowwatch.globus.flows.StartRun;
import org.flowwatch.ledger.Ledger;
import org.flowwatch.ledger.RunRecord;
import org.flowwatch.ledger.RunState;
import org.flowwatch.ledger.Transition;
import org.flowwatch.run.TreeSnapshot;
import org.flowwatch.watch.StartOutcome.Kind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Exactly-once starts and the reconcile of a start whose outcome is unknown. */
class RunStarterTest {
  private static final String KEY = "run0001";
  private static final Duration GRACE = Duration.ofSeconds(90);

  @TempDir Path dir;
  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T08:00:00Z"));
  private final InMemoryFlowRuns flows = new InMemoryFlowRuns();
  private Path ledgerFile;
  private Path run;
  private Ledger ledger;
  private RunStarter starter;

  @BeforeEach
  void setUp() throws IOException {
    Path root = Files.createDirectories(dir.resolve("watch"));
    run = Files.createDirectories(root.resolve(KEY));
    Files.writeString(run.resolve("seg.evt"), "x");
    ledgerFile = dir.resolve("state/ledger.db");
    ledger = Ledger.open(ledgerFile, root, clock);
    starter = new RunStarter(flows, new TransitionLog(ledger), clock, GRACE);
  }

  @AfterEach
  void tearDown() {
    ledger.close();
  }

  private static StartRun request() {
    return new StartRun(JsonNodeFactory.instance.objectNode().put("number", 1), KEY, List.of("test"), List.of(),
        List.of());
  }

  private RunRecord row() {
    return ledger.get(KEY).orElseThrow();
  }

  private void ready() {
    ledger.apply(Transition.of(KEY, RunState.READY).reason("complete"));
  }

  /** As if an agent wrote STARTING with this token and was killed before (or while) sending the request. */
  private RunRecord startingWith(String token) {
    ready();
    return ledger.apply(Transition.of(KEY, RunState.STARTING).from(RunState.READY).startWith(token)).orElseThrow();
  }

  @Test
  void givenAReadyRow_whenStarted_thenStartingWithTheTokenIsOnDiskBeforeTheRequestIsSent() {
    ready();
    AtomicReference<RunRecord> duringRequest = new AtomicReference<>();
    AtomicReference<String> tokenSent = new AtomicReference<>();
    flows.onStart(token -> {
      tokenSent.set(token.value());
      // another connection sees only what was committed: what a kill -9 now would leave behind
      try (Ledger other = Ledger.open(ledgerFile, null, clock)) {
        duringRequest.set(other.get(KEY).orElseThrow());
      }
    });

    StartOutcome o = starter.start(KEY, RunState.READY, request(), run, "the agent");

    assertEquals(RunState.STARTING, duringRequest.get().state());
    assertEquals(tokenSent.get(), duringRequest.get().token());
    assertEquals(Kind.STARTED, o.kind());
    RunRecord r = row();
    assertEquals(RunState.ACTIVE, r.state());
    assertEquals(flows.starts().get(0).created().runId().toString(), r.runId());
    assertEquals(tokenSent.get(), r.token());
    assertEquals(1, r.attempts());
    assertEquals(r, o.row());
    assertEquals(KEY + " \u00b7 " + tokenSent.get(), flows.starts().get(0).created().label());
  }

  @Test
  void givenALostAnswer_whenStarted_thenTheRowStaysStartingWithItsTokenForTheReconcile() {
    ready();
    flows.loseNextAnswer();
    Instant sent = clock.instant();

    StartOutcome o = starter.start(KEY, RunState.READY, request(), run, "the agent");

    assertEquals(Kind.ANSWER_LOST, o.kind());
    RunRecord r = row();
    assertEquals(RunState.STARTING, r.state());
    assertEquals(flows.starts().get(0).token().value(), r.token());
    assertNull(r.runId());
    assertNotNull(r.lastError());
    assertEquals(sent.plusSeconds(5), r.notBefore());
  }

  @Test
  void givenALostAnswer_whenReconciled_thenTheRunFoundByItsTokenMakesItActiveWithoutASecondStart() {
    ready();
    flows.loseNextAnswer();
    starter.start(KEY, RunState.READY, request(), run, "the agent");
    clock.advance(Duration.ofSeconds(6));

    StartOutcome o = starter.reconcile(row());

    assertEquals(Kind.STARTED, o.kind());
    RunRecord r = row();
    assertEquals(RunState.ACTIVE, r.state());
    assertEquals(flows.starts().get(0).created().runId().toString(), r.runId());
    assertNull(r.lastError());
    assertEquals(1, flows.callsStartingWith("start"));
  }

  @Test
  void givenAStartingRowWithNoRun_whenReconciledAfterTheGrace_thenItIsReadyAgain() {
    RunRecord starting = startingWith("fw-deadbeef");
    clock.advance(GRACE.plusSeconds(1));

    StartOutcome o = starter.reconcile(starting);

    assertEquals(Kind.NOT_STARTED, o.kind());
    assertEquals(RunState.READY, row().state());
    assertEquals(List.of("find fw-deadbeef"), flows.calls());
  }

  @Test
  void givenAStartingRowWithNoRun_whenReconciledWithinTheGrace_thenItKeepsLookingUntilTheGraceEnds() {
    RunRecord starting = startingWith("fw-deadbeef");
    clock.advance(Duration.ofSeconds(30));

    StartOutcome o = starter.reconcile(starting);

    assertEquals(Kind.LOOKING, o.kind());
    RunRecord r = row();
    assertEquals(RunState.STARTING, r.state());
    assertEquals("fw-deadbeef", r.token());
    assertEquals(starting.updatedAt().plus(GRACE), r.notBefore());
  }

  @Test
  void givenTheRowWasMovedWhileTheLookupWasOut_whenReconciled_thenTheOutcomeIsMoved() {
    ready();
    flows.loseNextAnswer();
    starter.start(KEY, RunState.READY, request(), run, "the agent");
    RunRecord starting = row();
    // a person ran 'flowwatch retry' meanwhile
    flows.onFind(() -> ledger.apply(Transition.of(KEY, RunState.READY).asRetry().reason("retry")));

    StartOutcome o = starter.reconcile(starting);

    assertEquals(Kind.MOVED, o.kind());
    assertEquals(RunState.READY, row().state());
  }

  @Test
  void givenAnotherProcessStartedItAgainWhileTheLookupWasOut_whenReconciled_thenThatStartIsLeftAlone() {
    RunRecord lost = startingWith("fw-deadbeef");
    clock.advance(GRACE.plusSeconds(1));
    // A hand start settled the lost start the same way meanwhile, then started the directory itself.
    flows.onFind(() -> {
      flows.onFind(() -> { });
      ledger.apply(Transition.of(KEY, RunState.READY).from(RunState.STARTING).reason("the hand start's look"));
      ledger.apply(Transition.of(KEY, RunState.STARTING).from(RunState.READY).startWith("fw-0badc0de"));
    });

    StartOutcome o = starter.reconcile(lost);

    assertEquals(Kind.MOVED, o.kind());
    assertEquals(RunState.STARTING, row().state());
    assertEquals("fw-0badc0de", row().token(), "the other start's token");
  }

  @Test
  void givenAnotherProcessStartedItAgainWhileTheRequestWasOut_whenTheAnswerComes_thenThatStartIsLeftAlone() {
    ready();
    // The answer is slow past the grace: a hand start finds no run by this token, and starts it itself.
    flows.onStart(token -> {
      flows.onStart(t -> { });
      ledger.apply(Transition.of(KEY, RunState.READY).from(RunState.STARTING).reason("the hand start's look"));
      ledger.apply(Transition.of(KEY, RunState.STARTING).from(RunState.READY).startWith("fw-0badc0de"));
    });

    StartOutcome o;
    String said;
    try (org.flowwatch.testing.LogCapture logs = new org.flowwatch.testing.LogCapture("flowwatch.runs")) {
      o = starter.start(KEY, RunState.READY, request(), run, "the agent");
      said = logs.all();
    }

    assertEquals(RunState.STARTING, row().state(), o.toString());
    assertEquals("fw-0badc0de", row().token(), "the other start's token");
    assertEquals(null, row().runId(), "the other start's row took this start's run id");
    assertTrue(said.contains("WARN " + KEY + " started run " + o.run().runId() + ", but its ledger row had moved"
        + " on meanwhile: the directory may now have two runs"), said);
  }

  @Test
  void givenTheRowIsNoLongerReady_whenStarted_thenNothingIsSentAndTheOutcomeIsMoved() {
    startingWith("fw-0badc0de"); // another start won

    StartOutcome o = starter.start(KEY, RunState.READY, request(), run, "the agent");

    assertEquals(Kind.MOVED, o.kind());
    assertEquals(List.of(), flows.calls());
    assertEquals("fw-0badc0de", row().token());
  }

  @Test
  void givenAKeyTheLedgerAlreadyHas_whenAHandStartAsksForANewRow_thenNothingIsSent() {
    ledger.apply(Transition.of(KEY, RunState.SEEN).onlyIfNew());

    StartOutcome o = starter.start(KEY, null, request(), run, "hand (--rundir)");

    assertEquals(Kind.MOVED, o.kind());
    assertEquals(List.of(), flows.calls());
    assertEquals(RunState.SEEN, row().state());
  }

  @Test
  void givenARateLimit_whenStarted_thenTheRowIsReadyAgainAndEveryStartPausesUntilRetryAfter() {
    ready();
    flows.failNextStart(InMemoryFlowRuns.rateLimited(Duration.ofSeconds(60)));
    Instant now = clock.instant();

    StartOutcome o = starter.start(KEY, RunState.READY, request(), run, "the agent");

    assertEquals(Kind.NOT_STARTED, o.kind());
    assertEquals(now.plusSeconds(60), o.pauseUntil());
    RunRecord r = row();
    assertEquals(RunState.READY, r.state());
    assertEquals(now.plusSeconds(60), r.notBefore());
  }

  @Test
  void givenAnUnavailableService_whenStarted_thenTheRowBacksOffAloneWithoutPausingOthers() {
    ready();
    flows.failNextStart(new ServiceUnavailableException("start a run", "503", "later", true, null, null));

    StartOutcome o = starter.start(KEY, RunState.READY, request(), run, "the agent");

    assertEquals(Kind.NOT_STARTED, o.kind());
    assertNull(o.pauseUntil());
    assertEquals(RunState.READY, row().state());
    assertEquals(clock.instant().plus(RunStarter.backoff(1)), row().notBefore());
  }

  @Test
  void givenTheServiceRejectsTheInput_whenStarted_thenTheRowIsInvalidWithTheTreesFingerprint() {
    ready();
    flows.failNextStart(new InvalidRequestException("start a run", "400 bad input", List.of(), "fix it", 400,
        "FLOW_INPUT_ERROR", null));

    StartOutcome o = starter.start(KEY, RunState.READY, request(), run, "the agent");

    assertEquals(Kind.REJECTED, o.kind());
    RunRecord r = row();
    assertEquals(RunState.INVALID, r.state());
    assertEquals(TreeSnapshot.take(run, null).fingerprint(), r.fingerprint());
    assertTrue(r.lastError().startsWith("Globus rejected the input"), r.lastError());
  }

  @Test
  void givenA422OnTheTags_whenStarted_thenTheRowIsReadyAgainNotInvalidAndStartsPause() {
    ready();
    flows.failNextStart(new InvalidRequestException("start a run", "422 UNPROCESSABLE_ENTITY: tags.0: too long",
        List.of(), "fix it", 422, "UNPROCESSABLE_ENTITY", null));

    StartOutcome o = starter.start(KEY, RunState.READY, request(), run, "the agent");

    assertEquals(Kind.NOT_STARTED, o.kind());
    assertEquals(RunState.READY, row().state());
    assertNotNull(o.pauseUntil());
  }

  @Test
  void givenTheTokenEndpointRefusesTheScope_whenStarted_thenNoDirectoryIsMarkedInvalid() {
    ready();
    flows.failNextStart(new InvalidRequestException("get a token", "400 invalid_scope", List.of(), "fix it", 400,
        "invalid_scope", null));

    StartOutcome o = starter.start(KEY, RunState.READY, request(), run, "the agent");

    assertEquals(Kind.NOT_STARTED, o.kind());
    assertEquals(RunState.READY, row().state());
  }

  @Test
  void givenAFinalRow_whenStartedAgainOnPurpose_thenANewAttemptWithANewTokenIsRecorded() {
    ready();
    starter.start(KEY, RunState.READY, request(), run, "the agent");
    RunRecord first = row();
    ledger.apply(Transition.of(KEY, RunState.SUCCEEDED).from(RunState.ACTIVE));

    StartOutcome o = starter.start(KEY, RunState.SUCCEEDED, request(), run, "hand (--rundir)", true);

    assertEquals(Kind.STARTED, o.kind());
    RunRecord r = row();
    assertEquals(RunState.ACTIVE, r.state());
    assertEquals(2, r.attempts());
    assertNotEquals(first.token(), r.token());
    assertNotEquals(first.runId(), r.runId());
  }
}
