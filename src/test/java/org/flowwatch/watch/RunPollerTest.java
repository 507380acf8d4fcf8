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
import org.flowwatch.globus.ServiceUnavailableException;
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

/** Following runs: one list call per pass, and what the service's answers and 404s become in the ledger. */
class RunPollerTest {
  private static final Duration INTERVAL = Duration.ofSeconds(30);

  @TempDir Path dir;
  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T08:00:00Z"));
  private final InMemoryFlowRuns flows = new InMemoryFlowRuns();
  private Ledger ledger;
  private RunPoller poller;

  @BeforeEach
  void setUp() throws IOException {
    Path root = Files.createDirectories(dir.resolve("watch"));
    ledger = Ledger.open(dir.resolve("state/ledger.db"), root, clock);
    poller = new RunPoller(flows, new TransitionLog(ledger), clock, INTERVAL,
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

  private void poll() {
    poller.pollDue(() -> ledger.inStates(RunState.FOLLOWED));
  }

  /** The next pass, one interval on. */
  private void pollLater(Duration after) {
    clock.advance(after);
    poll();
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
  void givenManyActiveRunsAndSomeThatEnded_whenPolled_thenOneListOfActiveAndOneOfEndedRunsAndNoGets() {
    for (int i = 0; i < 50; i++) {
      active(String.format("run%04d", i));
    }
    for (int i = 50; i < 80; i++) {
      flows.status(active(String.format("run%04d", i)), i % 2 == 0 ? "SUCCEEDED" : "FAILED");
    }

    poll();

    assertEquals(1, flows.callsStartingWith("list"));
    assertEquals(1, flows.callsStartingWith("ended"), "one call tells how all thirty ended");
    assertEquals(0, flows.callsStartingWith("get"));
    assertEquals(RunState.SUCCEEDED, row("run0050").state());
    assertEquals(RunState.FAILED, row("run0051").state());
    assertEquals(RunState.ACTIVE, row("run0000").state());
  }

  @Test
  void givenEveryActiveRunEnds_whenPolledOnce_thenEveryRowIsFinal() {
    List<UUID> ids = new java.util.ArrayList<>();
    for (int i = 0; i < 200; i++) {
      ids.add(active(String.format("run%04d", i)));
    }
    clock.advance(Duration.ofMinutes(10)); // the rows went ACTIVE well before the first pass
    java.time.Instant firstPass = clock.instant();
    poll();
    ids.forEach(id -> flows.status(id, "SUCCEEDED"));

    pollLater(INTERVAL);

    assertEquals(200, ledger.count(java.util.EnumSet.of(RunState.SUCCEEDED)));
    assertEquals(0, flows.callsStartingWith("get"));
    // All were in the first pass's active list, so none can have ended before it (less the clock margin).
    assertEquals(1, flows.callsStartingWith("ended since " + firstPass.minus(RunPoller.CLOCK_MARGIN)));
  }

  @Test
  void givenTheServiceRefusesTheEndedList_whenPolled_thenEachMissingRunIsFetched() {
    flows.status(active("run0001"), "SUCCEEDED");
    flows.failNextEndedList(new org.flowwatch.globus.InvalidRequestException("list runs",
        "the service answered 400", List.of(), "", 400, "BAD_REQUEST", null));

    poll();

    assertEquals(1, flows.callsStartingWith("get"));
    assertEquals(RunState.SUCCEEDED, row("run0001").state());
  }

  @Test
  void givenARunThatEndsBetweenPasses_whenTheIntervalPasses_thenItIsSeenAtTheNextPass() {
    UUID id = active("run0001");
    poll();
    flows.status(id, "SUCCEEDED");

    pollLater(INTERVAL.minusSeconds(1));
    assertEquals(RunState.ACTIVE, row("run0001").state(), "no pass before the interval");
    pollLater(Duration.ofSeconds(1));

    assertEquals(RunState.SUCCEEDED, row("run0001").state());
    assertEquals(2, flows.callsStartingWith("list"));
  }

  @Test
  void givenAFailedRun_whenPolled_thenItsErrorPointsAtTheRunPage() {
    UUID id = active("run0001");
    flows.status(id, "FAILED");

    poll();

    assertTrue(row("run0001").lastError().contains("https://app.globus.org/runs/" + id), row("run0001").lastError());
  }

  @Test
  void givenNothingLeftToFollow_whenPolledLater_thenTheServiceIsNotAskedUntilARunStarts() {
    UUID id = active("run0001");
    flows.status(id, "SUCCEEDED");
    poll();
    pollLater(INTERVAL);
    int calls = flows.calls().size();

    pollLater(Duration.ofHours(1));

    assertEquals(calls, flows.calls().size());
    assertEquals(Instant.MAX, poller.nextDue());
    active("run0002");
    poller.started();
    assertEquals(clock.instant().plus(INTERVAL), poller.nextDue());
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
  void givenEveryRunAnswers404_whenPolled_thenNoRowChangesAndPollingPauses() {
    flows.hide(active("run0001"));
    flows.hide(active("run0002"));
    flows.hide(active("run0003"));
    List<RunRecord> before = ledger.all();

    poll();

    assertEquals(before, ledger.all(), "404 from every run is this identity, not the runs");
    assertEquals(3, flows.callsStartingWith("get"));
    pollLater(RunPoller.IDENTITY_PAUSE.minusSeconds(1));
    assertEquals(1, flows.callsStartingWith("list"), "paused");

    pollLater(Duration.ofSeconds(1));
    assertEquals(2, flows.callsStartingWith("list"));
    assertEquals(6, flows.callsStartingWith("get"));
  }

  @Test
  void givenOneRunAlreadyLost_whenASecondRunAnswers404_thenItIsLostTooAndPollingGoesOn() {
    UUID first = active("run0001");
    flows.hide(first);
    poll();
    UUID second = active("run0002");
    flows.hide(second);

    pollLater(RunPoller.LOST_POLL);

    assertEquals(RunState.LOST, row("run0002").state(), "a LOST run's 404 says nothing about the identity");
    assertEquals(clock.instant().plus(INTERVAL), poller.nextDue());
  }

  @Test
  void givenALostRun_whenTheListShowsItAgain_thenItIsActiveAgain() {
    UUID id = active("run0001");
    flows.hide(id);
    poll();
    flows.show(id);

    pollLater(INTERVAL);

    RunRecord r = row("run0001");
    assertEquals(RunState.ACTIVE, r.state());
    assertNull(r.lastError());
  }

  @Test
  void givenALostRunThatEnded_whenLookedAtAgainSlowly_thenItTakesTheStateTheServiceGives() {
    UUID id = active("run0001");
    flows.hide(id);
    poll();
    flows.show(id);
    flows.status(id, "SUCCEEDED");

    pollLater(RunPoller.LOST_POLL.minusSeconds(1));
    assertEquals(RunState.LOST, row("run0001").state(), "a LOST run is fetched slowly");
    assertEquals(1, flows.callsStartingWith("get"));

    pollLater(INTERVAL);
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

    pollLater(RunPoller.LOST_POLL);

    assertEquals(RunState.LOST, row("run0001").state());
    assertEquals(entries, ledger.history("run0001").size());
    assertEquals(2, flows.callsStartingWith("get"));
  }

  @Test
  void givenA429OnTheList_whenPolled_thenTheNextPassWaitsForTheRetryAfter() {
    active("run0001");
    flows.failNextList(InMemoryFlowRuns.rateLimited(Duration.ofSeconds(42)));

    poll();

    assertEquals(clock.instant().plusSeconds(42), poller.nextDue());
    assertEquals(RunState.ACTIVE, row("run0001").state());
  }

  @Test
  void givenTheListFails_whenPolled_thenNoRowChangesAndTheNextPassTriesAgain() {
    active("run0001");
    flows.failNextList(new ServiceUnavailableException("list runs", "the service answered 503", "Try later.",
        false, null, null));

    poll();

    assertEquals(RunState.ACTIVE, row("run0001").state());
    assertEquals(0, flows.callsStartingWith("get"), "a failed list says nothing about any run");
    assertEquals(clock.instant().plus(INTERVAL), poller.nextDue());
  }
}
