package org.flowwatch.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LedgerTest {
  @TempDir Path dir;
  private final Clock clock = Clock.fixed(Instant.parse("2026-11-21T08:00:00Z"), ZoneOffset.UTC);

  private Ledger open() {
    return Ledger.open(dir.resolve("state/ledger.db"), dir.resolve("watch"), clock);
  }

  @Test
  void recordsEveryTransitionWithItsReasonAndSurvivesReopening() {
    try (Ledger ledger = open()) {
      ledger.apply(Transition.of("run1217", RunState.SEEN).reason("found by scan"));
      ledger.apply(Transition.of("run1217", RunState.READY).reason("settled"));
      ledger.apply(Transition.of("run1217", RunState.STARTING).startWith("fw-3f9a2c1b"));
      ledger.apply(Transition.of("run1217", RunState.ACTIVE).runId("5d3a1c2e-7f00-4a11-9b3e-1217aa000001"));
    }
    try (Ledger ledger = open()) {
      RunRecord r = ledger.get("run1217").orElseThrow();
      assertEquals(RunState.ACTIVE, r.state());
      assertEquals(1, r.attempts());
      assertEquals("fw-3f9a2c1b", r.token());
      assertEquals("5d3a1c2e-7f00-4a11-9b3e-1217aa000001", r.runId());
      List<HistoryEntry> h = ledger.history("run1217");
      assertEquals(List.of(RunState.SEEN, RunState.READY, RunState.STARTING, RunState.ACTIVE),
          h.stream().map(HistoryEntry::to).toList());
      assertNull(h.get(0).from());
      assertEquals(RunState.READY, h.get(2).from());
      assertEquals("settled", h.get(1).reason());
    }
  }

  @Test
  void onlyANewStartOrARetryWaitsForTheDisk() {
    try (Ledger ledger = open()) {
      ledger.apply(List.of(Transition.of("run1", RunState.SEEN), Transition.of("run2", RunState.READY)));
      assertEquals(1, ledger.synchronousMode(), "a look is committed without an fsync (NORMAL)");
      ledger.apply(List.of(Transition.of("run2", RunState.STARTING).from(RunState.READY).startWith("fw-00000001"),
          Transition.of("run1", RunState.SETTLING)));
      assertEquals(2, ledger.synchronousMode(), "a batch holding a new start is synced (FULL)");
      ledger.apply(Transition.of("run2", RunState.ACTIVE).from(RunState.STARTING).runId("r"));
      assertEquals(1, ledger.synchronousMode(), "the answer may wait: the token finds the run after a crash");
      ledger.apply(Transition.of("run2", RunState.FAILED));
      ledger.apply(Transition.of("run2", RunState.READY).asRetry());
      assertEquals(2, ledger.synchronousMode(), "a person's retry is on disk when the command returns");
    }
  }

  @Test
  void conditionalTransitionSkipsARowThatMovedOn() {
    try (Ledger ledger = open()) {
      ledger.apply(Transition.of("run1", RunState.READY));
      assertTrue(ledger.apply(Transition.of("run1", RunState.ACTIVE).from(RunState.STARTING)).isEmpty());
      assertEquals(RunState.READY, ledger.get("run1").orElseThrow().state());
    }
  }

  @Test
  void finalStatesChangeOnlyByRetry() {
    try (Ledger ledger = open()) {
      ledger.apply(Transition.of("run1", RunState.STARTING).startWith("fw-1"));
      ledger.apply(Transition.of("run1", RunState.FAILED).error("FitData failed"));
      LedgerException e = assertThrows(LedgerException.class,
          () -> ledger.apply(Transition.of("run1", RunState.READY)));
      assertTrue(e.getMessage().contains("only 'flowwatch retry' may change a final state"), e.getMessage());

      RunRecord back = ledger.apply(Transition.of("run1", RunState.READY).asRetry().reason("retry")).orElseThrow();
      assertEquals(0, back.attempts());
      assertNull(back.token());
      assertNull(back.lastError());
    }
  }

  @Test
  void aBatchIsAllOrNothing() {
    try (Ledger ledger = open()) {
      ledger.apply(Transition.of("run2", RunState.SUCCEEDED));
      List<Transition> batch = List.of(Transition.of("run1", RunState.SEEN), Transition.of("run2", RunState.READY));
      assertThrows(LedgerException.class, () -> ledger.apply(batch));
      assertTrue(ledger.get("run1").isEmpty(), "the first transition must have been rolled back");
    }
  }

  @Test
  void catchUpOfManyDirectoriesIsOneTransaction() {
    try (Ledger ledger = open()) {
      List<Transition> batch = new ArrayList<>();
      for (int i = 0; i < 2000; i++) {
        batch.add(Transition.of(String.format("run%04d", i), RunState.SETTLING).reason("found by scan"));
      }
      assertEquals(2000, ledger.apply(batch).size());
      assertEquals(2000, ledger.count(EnumSet.of(RunState.SETTLING)));
    }
  }

  @Test
  void aLedgerBelongsToOneWatchDirectory() {
    open().close();
    LedgerException e = assertThrows(LedgerException.class,
        () -> Ledger.open(dir.resolve("state/ledger.db"), dir.resolve("other"), clock));
    assertTrue(e.getMessage().contains("belongs to the watch directory " + dir.resolve("watch")), e.getMessage());
    assertTrue(e.getMessage().contains("--state-dir"), e.getMessage());
  }

  @Test
  void openersOfANewLedgerAtOnceAllGetIt() throws Exception {
    // An agent's first start while 'flowwatch status' (or a hand start) opens the same new state directory:
    // each must find the schema another made while it waited for the lock, not make it again.
    for (int round = 0; round < 20; round++) {
      Path file = dir.resolve("state" + round + "/ledger.db");
      int openers = 4;
      java.util.concurrent.CyclicBarrier together = new java.util.concurrent.CyclicBarrier(openers);
      java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(openers);
      try {
        List<java.util.concurrent.Future<?>> opened = new ArrayList<>();
        for (int i = 0; i < openers; i++) {
          Path root = i % 2 == 0 ? dir.resolve("watch") : null; // the agent claims it; status does not
          opened.add(pool.submit(() -> {
            together.await();
            Ledger.open(file, root, clock).close();
            return null;
          }));
        }
        for (java.util.concurrent.Future<?> f : opened) {
          f.get(30, java.util.concurrent.TimeUnit.SECONDS);
        }
      } finally {
        pool.shutdownNow();
      }
      try (Ledger again = Ledger.open(file, dir.resolve("watch"), clock)) {
        assertEquals(List.of(), again.all());
      }
    }
  }

  @Test
  void aFileThatIsNotADatabaseIsSaidToBeOneNotBlamedOnTheNativeLibrary() throws Exception {
    open().close(); // the native library is loaded now, as in any process that opened a ledger before
    Path file = java.nio.file.Files.createDirectories(dir.resolve("other")).resolve("ledger.db");
    java.nio.file.Files.writeString(file, "not a database, but long enough to have a header ".repeat(4));
    String unpackDir = System.getProperty("org.sqlite.tmpdir");
    // Where the library would unpack is gone (a shared JVM's earlier state directory): not the cause here.
    System.setProperty("org.sqlite.tmpdir", dir.resolve("gone").toString());
    try {
      LedgerException e = assertThrows(LedgerException.class, () -> Ledger.open(file, null, clock));
      assertEquals("cannot open the ledger " + file + ": the file is not an SQLite database", e.getMessage());
    } finally {
      if (unpackDir == null) {
        System.clearProperty("org.sqlite.tmpdir");
      } else {
        System.setProperty("org.sqlite.tmpdir", unpackDir);
      }
    }
  }

  @Test
  void aLedgerFromANewerFlowwatchIsRefused() throws Exception {
    Path file = dir.resolve("state/ledger.db");
    open().close();
    try (var c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement()) {
      s.execute("PRAGMA user_version = 99");
    }
    LedgerException e = assertThrows(LedgerException.class, () -> open());
    assertTrue(e.getMessage().contains("newer flowwatch (schema 99"), e.getMessage());
  }

  @Test
  void inStatesListsOnlyThose() {
    try (Ledger ledger = open()) {
      ledger.apply(List.of(Transition.of("a", RunState.READY), Transition.of("b", RunState.ACTIVE),
          Transition.of("c", RunState.INVALID).fingerprint("f1").error("bad")));
      assertEquals(List.of("a", "b"), ledger.inStates(EnumSet.of(RunState.READY, RunState.ACTIVE)).stream()
          .map(RunRecord::key).toList());
      assertEquals("f1", ledger.get("c").orElseThrow().fingerprint());
      assertEquals(2, ledger.count(EnumSet.of(RunState.READY, RunState.INVALID)));
    }
  }
}
