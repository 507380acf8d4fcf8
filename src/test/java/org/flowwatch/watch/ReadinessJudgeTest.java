package org.flowwatch.watch;

import org.flowwatch.globus.MutableClock;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.flowwatch.config.WatchConfig;
import org.flowwatch.ledger.Ledger;
import org.flowwatch.ledger.RunRecord;
import org.flowwatch.ledger.RunState;
import org.flowwatch.ledger.Transition;
import org.flowwatch.run.TreeSnapshot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Readiness judging with its settle memory in the ledger: each "fresh judge" below is what a restarted
 * agent or the next {@code --once} pass builds, knowing only the ledger row.
 */
class ReadinessJudgeTest {
  private static final String KEY = "run1217";
  private static final WatchConfig SETTLE =
      new WatchConfig(List.of("settle"), Duration.ofSeconds(30), Duration.ofSeconds(10), null, null, 0, 20, 30, 8, Duration.ofSeconds(30));

  @TempDir Path dir;
  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T08:00:00Z"));
  private Path root;
  private Path run;
  private Ledger ledger;

  @BeforeEach
  void setUp() throws IOException {
    root = Files.createDirectories(dir.resolve("watch"));
    run = Files.createDirectories(root.resolve(KEY));
    Files.writeString(run.resolve("run-1217-00.evt"), "segment 0");
    ledger = Ledger.open(dir.resolve("state/ledger.db"), root, clock);
    ledger.apply(Transition.of(KEY, RunState.SEEN).onlyIfNew().reason("new run directory"));
  }

  @AfterEach
  void tearDown() {
    ledger.close();
  }

  private RunRecord row() {
    return ledger.get(KEY).orElseThrow();
  }

  /** One judging pass by {@code judge} over the run directory, applied to the ledger. */
  private List<Transition> pass(ReadinessJudge judge) {
    List<Transition> t = judge.judge(Map.of(KEY, run), Map.of(KEY, row()));
    ledger.apply(t);
    return t;
  }

  private String digest() {
    return TreeSnapshot.take(run, null).fingerprint();
  }

  @Test
  void givenASeenDirectory_whenJudged_thenItIsSettlingWithItsSettleDigestInTheLedger() {
    Instant firstLook = clock.instant();

    pass(new ReadinessJudge(SETTLE, clock));

    RunRecord r = row();
    assertEquals(RunState.SETTLING, r.state());
    assertEquals(digest(), r.settleDigest());
    assertEquals(firstLook, r.settleSince());
  }

  @Test
  void givenASettlingRow_whenAFreshJudgeLooksAfterTheTriggerDelay_thenTheSameTreeIsReady() {
    pass(new ReadinessJudge(SETTLE, clock));
    clock.advance(Duration.ofSeconds(31));

    List<Transition> second = pass(new ReadinessJudge(SETTLE, clock));

    assertEquals(1, second.size());
    RunRecord r = row();
    assertEquals(RunState.READY, r.state());
    assertNull(r.settleDigest(), "a READY row keeps no settle memory");
    assertTrue(ledger.history(KEY).stream().anyMatch(h -> h.from() == RunState.SETTLING && h.to() == RunState.READY));
  }

  @Test
  void givenASettlingRow_whenAFreshJudgeLooksBeforeTheTriggerDelay_thenItStaysSettlingAndNothingIsWritten() {
    pass(new ReadinessJudge(SETTLE, clock));
    RunRecord before = row();
    clock.advance(Duration.ofSeconds(20));

    List<Transition> second = pass(new ReadinessJudge(SETTLE, clock));

    assertEquals(List.of(), second);
    assertEquals(before, row());
  }

  @Test
  void givenASettlingRow_whenTheTreeChanges_thenTheQuietTimeStartsAgain() throws IOException {
    pass(new ReadinessJudge(SETTLE, clock));
    String first = row().settleDigest();
    clock.advance(Duration.ofSeconds(20));
    Files.writeString(run.resolve("run-1217-01.evt"), "segment 1");
    Instant changeSeen = clock.instant();

    pass(new ReadinessJudge(SETTLE, clock));

    RunRecord changed = row();
    assertEquals(RunState.SETTLING, changed.state());
    assertNotEquals(first, changed.settleDigest());
    assertEquals(digest(), changed.settleDigest());
    assertEquals(changeSeen, changed.settleSince());

    clock.advance(Duration.ofSeconds(20)); // 40 s after the first look, 20 s after the change
    pass(new ReadinessJudge(SETTLE, clock));
    assertEquals(RunState.SETTLING, row().state());

    clock.advance(Duration.ofSeconds(11));
    pass(new ReadinessJudge(SETTLE, clock));
    assertEquals(RunState.READY, row().state());
  }

  @Test
  void givenOneLongRunningJudge_whenTheTreeStaysQuiet_thenItIsReadyAfterTheTriggerDelay() {
    ReadinessJudge judge = new ReadinessJudge(SETTLE, clock);
    pass(judge);
    clock.advance(Duration.ofSeconds(29));
    pass(judge);
    assertEquals(RunState.SETTLING, row().state());
    clock.advance(Duration.ofSeconds(2));
    pass(judge);
    assertEquals(RunState.READY, row().state());
  }

  @Test
  void givenAnInvalidRow_whenItsTreeIsUnchanged_thenItStaysInvalid() {
    markInvalid();

    List<Transition> t = pass(new ReadinessJudge(SETTLE, clock));

    assertEquals(List.of(), t);
    assertEquals(RunState.INVALID, row().state());
  }

  @Test
  void givenAnInvalidRow_whenItsTreeChanged_thenItGoesBackToSettlingWithoutItsError() throws IOException {
    markInvalid();
    Files.writeString(run.resolve("run-1217-00.evt"), "segment 0, fixed");

    pass(new ReadinessJudge(SETTLE, clock));

    RunRecord r = row();
    assertEquals(RunState.SETTLING, r.state());
    assertNull(r.lastError());
    assertTrue(ledger.history(KEY).stream().anyMatch(h -> h.from() == RunState.INVALID
        && h.to() == RunState.SETTLING));
  }

  @Test
  void givenADirectoryThatVanished_whenJudged_thenNothingIsWrittenAndNothingThrows() throws IOException {
    Files.delete(run.resolve("run-1217-00.evt"));
    Files.delete(run);

    List<Transition> t = pass(new ReadinessJudge(SETTLE, clock));

    assertEquals(List.of(), t);
    assertEquals(RunState.SEEN, row().state());
  }

  @Test
  void givenAnEmptyDirectory_whenQuietForLong_thenItIsNotReady() throws IOException {
    Files.delete(run.resolve("run-1217-00.evt"));
    pass(new ReadinessJudge(SETTLE, clock));
    clock.advance(Duration.ofMinutes(5));

    pass(new ReadinessJudge(SETTLE, clock));

    assertEquals(RunState.SETTLING, row().state());
    assertNotNull(row().settleDigest());
  }

  private void markInvalid() {
    ledger.apply(Transition.of(KEY, RunState.READY).from(RunState.SEEN));
    ledger.apply(Transition.of(KEY, RunState.INVALID).from(RunState.READY).error("/number: must be >= 1")
        .fingerprint(digest()));
  }
}
