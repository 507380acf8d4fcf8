package org.flowwatch.watch;

import java.time.Instant;
import org.flowwatch.globus.MutableClock;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.flowwatch.config.WatchConfig;
import org.flowwatch.globus.Sleeper;
import org.flowwatch.ledger.Ledger;
import org.flowwatch.ledger.RunRecord;
import org.flowwatch.ledger.RunState;
import org.flowwatch.ledger.Transition;
import org.flowwatch.run.TreeSnapshot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A hand start's readiness: one look for sentinel, manifest and rsync files; two looks (or the ledger) for settle. */
class HandReadinessTest {
  private static final String KEY = "run1217";
  private static final Duration DELAY = Duration.ofSeconds(30);

  @TempDir Path dir;
  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T08:00:00Z"));
  /** What the settle look slept, instead of sleeping. */
  private final List<Duration> slept = new ArrayList<>();
  /** What the caller was told it would wait. */
  private final List<Duration> announced = new ArrayList<>();
  private Runnable duringSleep = () -> { };
  private Path run;
  private Ledger ledger;

  @BeforeEach
  void setUp() throws IOException {
    Path root = Files.createDirectories(dir.resolve("watch"));
    run = Files.createDirectories(root.resolve(KEY));
    Files.writeString(run.resolve("run-1217-00.evt"), "segment 0");
    ledger = Ledger.open(dir.resolve("state/ledger.db"), root, clock);
  }

  @AfterEach
  void tearDown() {
    ledger.close();
  }

  private static WatchConfig policies(List<String> readiness, String sentinel, String glob, int count) {
    return new WatchConfig(readiness, DELAY, Duration.ofSeconds(10), sentinel, glob, count, 20, 30, 8, Duration.ofSeconds(30));
  }

  private Optional<String> notReady(WatchConfig watch, RunRecord row) throws InterruptedException {
    Sleeper recording = d -> {
      slept.add(d);
      clock.advance(d);
      duringSleep.run();
    };
    return new HandReadiness(watch, clock, recording).notReady(KEY, run, row, announced::add);
  }

  private Optional<String> notReady(WatchConfig watch) throws InterruptedException {
    return notReady(watch, null);
  }

  @Test
  void givenTheSentinelIsMissing_whenJudged_thenItIsNotReadyAtOnceNamingTheSentinel() throws Exception {
    Optional<String> why = notReady(policies(List.of("settle", "sentinel"), ".done", null, 0));

    assertTrue(why.orElseThrow().contains("sentinel .done not there yet"), why.toString());
    assertEquals(List.of(), slept);
  }

  @Test
  void givenTheSentinelIsThere_whenOnlyTheSentinelCounts_thenItIsReadyWithoutWaiting() throws Exception {
    Files.createFile(run.resolve(".done"));

    assertEquals(Optional.empty(), notReady(policies(List.of("sentinel"), ".done", null, 0)));
    assertEquals(List.of(), slept);
  }

  @Test
  void givenAnRsyncTemporaryFile_whenJudged_thenItIsNotReadyAtOnce() throws Exception {
    Files.writeString(run.resolve(".run-1217-01.evt.Xy3kQ9"), "partial");

    Optional<String> why = notReady(policies(List.of("settle"), null, null, 0));

    assertTrue(why.orElseThrow().contains("rsync temporary file"), why.toString());
    assertEquals(List.of(), slept);
  }

  @Test
  void givenTooFewManifestFiles_whenJudged_thenItIsNotReadyCountingThem() throws Exception {
    Optional<String> why = notReady(policies(List.of("manifest"), null, "*.evt", 2));

    assertEquals(Optional.of("1 of 2 files matching *.evt"), why);
  }

  @Test
  void givenAQuietTree_whenSettleIsJudged_thenTwoLooksTriggerDelayApartMakeItReady() throws Exception {
    Optional<String> why = notReady(policies(List.of("settle"), null, null, 0));

    assertEquals(Optional.empty(), why);
    assertEquals(List.of(DELAY), slept);
    assertEquals(List.of(DELAY), announced, "the caller says it is waiting, before it waits");
  }

  @Test
  void givenATreeThatChangesDuringTheSettleLook_whenJudged_thenItIsStillChanging() throws Exception {
    duringSleep = () -> {
      try {
        Files.writeString(run.resolve("run-1217-01.evt"), "segment 1");
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    };

    Optional<String> why = notReady(policies(List.of("settle"), null, null, 0));

    assertTrue(why.orElseThrow().startsWith("still changing"), why.toString());
    assertTrue(why.get().contains("30s"), why.get());
  }

  @Test
  void givenAnEmptyDirectory_whenSettleIsJudged_thenThereAreNoFilesYetAndNoWait() throws Exception {
    Files.delete(run.resolve("run-1217-00.evt"));

    assertEquals(Optional.of("no files yet"), notReady(policies(List.of("settle"), null, null, 0)));
    assertEquals(List.of(), slept);
  }

  @Test
  void givenTheLedgerSawTheSameTreeLongEnoughAgo_whenJudged_thenItIsReadyWithoutWaiting() throws Exception {
    RunRecord row = settlingSince(clock.instant().minus(DELAY), TreeSnapshot.take(run, null).fingerprint());

    assertEquals(Optional.empty(), notReady(policies(List.of("settle"), null, null, 0), row));
    assertEquals(List.of(), slept);
    assertEquals(List.of(), announced);
  }

  @Test
  void givenTheLedgerSawTheSameTreeOnlyRecently_whenJudged_thenItStillTakesItsOwnTwoLooks() throws Exception {
    RunRecord row = settlingSince(clock.instant().minusSeconds(10), TreeSnapshot.take(run, null).fingerprint());

    assertEquals(Optional.empty(), notReady(policies(List.of("settle"), null, null, 0), row));
    assertEquals(List.of(DELAY), slept);
  }

  @Test
  void givenTheLedgerSawAnotherTree_whenJudged_thenItsSnapshotDoesNotCount() throws Exception {
    RunRecord row = settlingSince(clock.instant().minus(Duration.ofHours(1)), "0-0-0");

    notReady(policies(List.of("settle"), null, null, 0), row);

    assertEquals(List.of(DELAY), slept);
  }

  /** The row an agent's judge leaves for a directory it has watched settle since {@code since}. */
  private RunRecord settlingSince(java.time.Instant since, String digest) {
    ledger.apply(Transition.of(KEY, RunState.SEEN).onlyIfNew());
    return ledger.apply(Transition.of(KEY, RunState.SETTLING).from(RunState.SEEN).settle(digest, since))
        .orElseThrow();
  }
}
