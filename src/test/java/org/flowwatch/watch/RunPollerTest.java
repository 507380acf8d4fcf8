package org.flowwatch.watch;

import org.flowwatch.globus.MutableClock;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.flowwatch.ledger.Ledger;
import org.flowwatch.ledger.RunRecord;
import org.flowwatch.ledger.RunState;
import org.flowwatch.ledger.Transition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Following runs: what the service's answers, and its 404s, become in the ledger. */
class RunPollerTest {
  private static final Duration FIRST_POLL = Duration.ofSeconds(30);
  private static final Duration MAX_POLL = Duration.ofMinutes(10);

  @TempDir Path dir;
  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T08:00:00Z"));
  private final InMemoryFlowRuns flows = new InMemoryFlowRuns();
  private Ledger ledger;
  private RunPoller poller;

  @BeforeEach
  void setUp() throws IOException {
    Path root = Files.createDirectories(dir.resolve("watch"));
    ledger = Ledger.open(dir.resolve("state/ledger.db"), root, clock);
    poller = new RunPoller(flows, new TransitionLog(ledger), clock, FIRST_POLL, MAX_POLL,
        "https://auth.globus.org/scopes/babd88e5-d31d-48c7-b3a0-b765389b5c22/flow_babd88e5_user");
  }

  @AfterEach
  void tearDown() {
    ledger.close();
  }

  private UUID active(String key) {
    UUID id = flows.add("ACTIVE");
    ledger.apply(Transition.of(key, RunState.ACTIVE).runId(id.toString()).reason("started"));
    return id;
  }

  private Instant poll() {
    return poller.pollDue(ledger.inStates(RunState.FOLLOWED));
  }

  private RunRecord row(String key) {
    return ledger.get(key).orElseThrow();
  }

  @ParameterizedTest
  @CsvSource({"SUCCEEDED, SUCCEEDED", "FAILED, FAILED", "ENDED, ENDED", "INACTIVE, INACTIVE"})
  void givenTheServiceSaysARunIs_whenPolled_thenTheLedgerSaysTheSame(String service, RunState recorded) {
    UUID id = active("run0001");
    flows.status(id, service);

    poll();

    assertEquals(recorded, row("run0001").state());
  }

  @Test
  void givenAFailedRun_whenPolled_thenItsErrorPointsAtTheRunPage() {
    UUID id = active("run0001");
    flows.status(id, "FAILED");

    poll();

    assertTrue(row("run0001").lastError().contains("https://app.globus.org/runs/" + id), row("run0001").lastError());
  }

  @Test
  void givenAFinishedRun_whenPolledAgainLater_thenTheServiceIsNotAskedAgain() {
    UUID id = active("run0001");
    flows.status(id, "SUCCEEDED");
    poll();
    clock.advance(Duration.ofHours(1));

    poll();

    assertEquals(1, flows.callsStartingWith("get"));
    assertEquals(Instant.MAX, poller.nextDue());
  }

  @Test
  void givenOneRunAnswers404_whenPolled_thenItIsLostNotFailedAndTheReasonNamesTheLikelyCauses() {
    UUID id = active("run0001");
    flows.hide(id);

    poll();

    RunRecord r = row("run0001");
    assertEquals(RunState.LOST, r.state());
    assertTrue(r.lastError().contains("identity"), r.lastError());
    assertTrue(r.lastError().contains("service URL"), r.lastError());
    assertTrue(r.lastError().contains("deleted"), r.lastError());
    assertTrue(ledger.history("run0001").stream().anyMatch(h -> h.to() == RunState.LOST
        && h.reason().contains("404")));
  }

  @Test
  void givenOneOfTwoRunsAnswers404_whenPolled_thenOnlyThatOneIsLost() {
    UUID gone = active("run0001");
    active("run0002");
    flows.hide(gone);

    poll();

    assertEquals(RunState.LOST, row("run0001").state());
    assertEquals(RunState.ACTIVE, row("run0002").state());
  }

  @Test
  void givenEveryRunOfAPassAnswers404_whenPolled_thenNoRowChangesAndPollingPauses() {
    flows.hide(active("run0001"));
    flows.hide(active("run0002"));
    flows.hide(active("run0003"));
    List<RunRecord> before = ledger.all();

    poll();

    assertEquals(before, ledger.all(), "404 from every run is this identity, not the runs");
    assertEquals(3, flows.callsStartingWith("get"));
    clock.advance(RunPoller.IDENTITY_PAUSE.minusSeconds(1));
    poll();
    assertEquals(3, flows.callsStartingWith("get"), "paused");

    clock.advance(Duration.ofSeconds(1));
    poll();
    assertEquals(6, flows.callsStartingWith("get"));
  }

  @Test
  void givenALostRun_whenItAnswersAgain_thenItTakesTheStateTheServiceGives() {
    UUID id = active("run0001");
    flows.hide(id);
    poll();
    flows.show(id);
    flows.status(id, "SUCCEEDED");

    clock.advance(RunPoller.LOST_POLL.minusSeconds(1));
    poll();
    assertEquals(RunState.LOST, row("run0001").state(), "a LOST run is looked at slowly");

    clock.advance(Duration.ofSeconds(1));
    poll();
    RunRecord r = row("run0001");
    assertEquals(RunState.SUCCEEDED, r.state());
    assertNull(r.lastError());
  }

  @Test
  void givenALostRun_whenItStillAnswers404_thenItStaysLostWithoutANewHistoryEntry() {
    UUID id = active("run0001");
    flows.hide(id);
    poll();
    int entries = ledger.history("run0001").size();

    clock.advance(RunPoller.LOST_POLL);
    poll();

    assertEquals(RunState.LOST, row("run0001").state());
    assertEquals(entries, ledger.history("run0001").size());
    assertEquals(2, flows.callsStartingWith("get"));
  }

  @Test
  void givenA429_whenPolled_thenTheRetryAfterIsHandedBack() {
    active("run0001");
    flows.failNextGet(InMemoryFlowRuns.rateLimited(Duration.ofSeconds(42)));

    Instant slowDown = poll();

    assertEquals(clock.instant().plusSeconds(42), slowDown);
    assertEquals(RunState.ACTIVE, row("run0001").state());
  }

  @Test
  void givenARunThatKeepsRunning_whenPolled_thenTheIntervalDoublesUpToTheMaximum() {
    active("run0001");
    poller.started("run0001");
    assertEquals(clock.instant().plus(FIRST_POLL), poller.nextDue());

    Duration expected = FIRST_POLL;
    for (int i = 0; i < 8; i++) {
      clock.advance(expected);
      poll();
      expected = expected.multipliedBy(2).compareTo(MAX_POLL) > 0 ? MAX_POLL : expected.multipliedBy(2);
      assertEquals(clock.instant().plus(expected), poller.nextDue(), "after poll " + (i + 1));
    }
    assertEquals(MAX_POLL, expected);
  }
}
