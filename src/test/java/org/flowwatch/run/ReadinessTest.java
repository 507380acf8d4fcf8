package org.flowwatch.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import org.flowwatch.config.WatchConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReadinessTest {
  private static final long SECOND = 1_000_000_000L;
  @TempDir Path dir;

  private static WatchConfig policies(List<String> readiness, String sentinel, String glob, int count) {
    return new WatchConfig(readiness, Duration.ofSeconds(30), Duration.ofSeconds(10), sentinel, glob, count, 5, 5, 8, Duration.ofSeconds(30));
  }

  private Path run() throws IOException {
    Path run = Files.createDirectories(dir.resolve("run1217"));
    Files.writeString(run.resolve("run-1217-00.evt"), "data");
    return run;
  }

  @Test
  void settleNeedsTheTreeUnchangedForTheWholeDelayBetweenScans() throws IOException {
    Path run = run();
    Readiness r = new Readiness(policies(List.of("settle"), null, null, 0));

    assertEquals("first look", r.evaluate("run1217", run, 0).reason());
    assertEquals("unchanged for 20s of 30s", r.evaluate("run1217", run, 20 * SECOND).reason());
    Files.writeString(run.resolve("run-1217-01.evt"), "more");
    assertEquals("still changing", r.evaluate("run1217", run, 25 * SECOND).reason());
    assertFalse(r.evaluate("run1217", run, 50 * SECOND).ready());
    assertTrue(r.evaluate("run1217", run, 55 * SECOND).ready());
  }

  @Test
  void anOldMtimeDoesNotMakeADirectoryReadyBeforeTwoScans() throws IOException {
    // The file server's clock may be far behind ours: only our own scans measure quiet time.
    Path run = run();
    Files.setLastModifiedTime(run.resolve("run-1217-00.evt"), FileTime.fromMillis(0));
    Readiness r = new Readiness(policies(List.of("settle"), null, null, 0));
    assertFalse(r.evaluate("run1217", run, 1000 * SECOND).ready());
  }

  @Test
  void touchingAFileOrChangingItsSizeIsAChange() throws IOException {
    Path run = run();
    TreeSnapshot a = TreeSnapshot.take(run, null);
    Files.setLastModifiedTime(run.resolve("run-1217-00.evt"), FileTime.fromMillis(123_000));
    TreeSnapshot b = TreeSnapshot.take(run, null);
    Files.writeString(run.resolve("run-1217-00.evt"), "data!");
    TreeSnapshot c = TreeSnapshot.take(run, null);
    assertNotEquals(a.fingerprint(), b.fingerprint());
    assertNotEquals(b.fingerprint(), c.fingerprint());
    assertEquals(TreeSnapshot.take(run, null), c);
  }

  @Test
  void rsyncTemporaryFilesMeanNotReady() throws IOException {
    Path run = run();
    Files.writeString(run.resolve(".run-1217-01.evt.Xy3kQ9"), "partial");
    Readiness r = new Readiness(policies(List.of("sentinel"), ".done", null, 0));
    Files.createFile(run.resolve(".done"));
    Readiness.Verdict v = r.evaluate("run1217", run, 0);
    assertFalse(v.ready());
    assertEquals("1 rsync temporary file(s) present", v.reason());
  }

  @Test
  void partialDirectoryMeansNotReady() throws IOException {
    Path run = run();
    Files.createDirectories(run.resolve(".rsync-partial"));
    assertEquals(1, TreeSnapshot.take(run, null).transferTempFiles());
  }

  @Test
  void sentinelFileOrEmptyDirectoryMakesItReady() throws IOException {
    Path run = run();
    Readiness r = new Readiness(policies(List.of("sentinel"), "sentinels", null, 0));
    assertEquals("sentinel sentinels not there yet", r.evaluate("run1217", run, 0).reason());
    Files.createDirectories(run.resolve("sentinels"));
    assertTrue(r.evaluate("run1217", run, 0).ready());
  }

  @Test
  void manifestCountsFilesMatchingItsGlobAtAnyDepth() throws IOException {
    Path run = run();
    Readiness r = new Readiness(policies(List.of("manifest"), null, "*.evt", 3));
    assertEquals("1 of 3 files matching *.evt", r.evaluate("run1217", run, 0).reason());
    Files.createDirectories(run.resolve("sub"));
    Files.writeString(run.resolve("sub/run-1217-01.evt"), "x");
    Files.writeString(run.resolve("run-1217-02.evt"), "x");
    assertTrue(r.evaluate("run1217", run, 0).ready());
  }

  @Test
  void policiesCombine() throws IOException {
    Path run = run();
    Readiness r = new Readiness(policies(List.of("settle", "sentinel"), ".done", null, 0));
    r.evaluate("run1217", run, 0);
    assertEquals("sentinel .done not there yet", r.evaluate("run1217", run, 40 * SECOND).reason());
  }

  @Test
  void noFileIsEverOpenedToBeRead() throws Exception {
    // Permissions cannot show this (the tests run as root, who reads anything), but a named pipe can:
    // opening one for reading blocks until a writer comes, so any read of contents hangs the walk.
    Path run = run();
    try (RandomAccessFile f = new RandomAccessFile(run.resolve("huge.evt").toFile(), "rw")) {
      f.setLength(2L << 30); // sparse 2 GB: its size counts, its contents must not be touched either
    }
    Path pipe = run.resolve("live.fifo");
    Process mkfifo = new ProcessBuilder("mkfifo", pipe.toString()).redirectErrorStream(true).start();
    assertEquals(0, mkfifo.waitFor(), () -> "mkfifo failed: " + output(mkfifo));
    Files.createFile(run.resolve(".done"));
    Readiness r = new Readiness(policies(List.of("settle", "sentinel", "manifest"), ".done", "*.evt", 2));

    try {
      assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
        Readiness.Verdict first = r.evaluate("run1217", run, 0);
        Readiness.Verdict settled = r.evaluate("run1217", run, 40 * SECOND);

        assertEquals("first look", first.reason());
        assertTrue(settled.ready(), settled.reason());
        assertEquals(3, settled.snapshot().files()); // two segments and .done; the pipe is no regular file
        assertEquals(2, settled.snapshot().manifestMatches());
        assertEquals((2L << 30) + 4, settled.snapshot().bytes());
      }, "the readiness walk opened a file for reading (it blocked on the named pipe)");
    } finally {
      // Opening a FIFO read-write never blocks on Linux; it frees a reader stuck in a broken walk.
      new RandomAccessFile(pipe.toFile(), "rw").close();
    }
  }

  private static String output(Process p) {
    try {
      return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return e.toString();
    }
  }

  @Test
  void aReusedSnapshotNeverMakesADirectoryReadyWithoutAFreshWalk() throws IOException {
    Path run = run();
    Readiness r = new Readiness(policies(List.of("settle"), null, null, 0));
    r.evaluate("run1217", run, 0);
    // A write the events missed: the caller wrongly believes the directory is untouched.
    Files.writeString(run.resolve("run-1217-01.evt"), "late");
    assertEquals("unchanged for 10s of 30s", r.evaluate("run1217", run, 10 * SECOND, true).reason());
    Readiness.Verdict v = r.evaluate("run1217", run, 40 * SECOND, true);
    assertFalse(v.ready(), "ready on a stale snapshot");
    assertEquals("still changing", v.reason());
    assertTrue(r.evaluate("run1217", run, 75 * SECOND, true).ready());
  }

  @Test
  void vanishedDirectoryIsReported() {
    RunDirectoryException e = assertThrows(RunDirectoryException.class,
        () -> TreeSnapshot.take(dir.resolve("gone"), null));
    assertTrue(e.getMessage().contains("vanished"), e.getMessage());
  }

  @Test
  void withTheSentinelAloneADirectoryWithoutItIsNotWalked_andOneWithItIsWalkedAsEver() throws IOException {
    Path run = run();
    Files.writeString(run.resolve(".run-1217-01.evt.a1B2c3"), "rsync is still writing");
    Readiness agent = new Readiness(policies(List.of("sentinel"), ".done", null, 0));

    Readiness.Verdict before = agent.evaluate("run1217", run, 0, false);
    assertEquals(new Readiness.Verdict(false, "sentinel .done not there yet", null), before);
    Files.createFile(run.resolve(".done"));
    Readiness.Verdict after = agent.evaluate("run1217", run, SECOND, false);
    assertEquals("1 rsync temporary file(s) present", after.reason());
    assertEquals(3, after.snapshot().files());

    Files.delete(run.resolve(".done"));
    Readiness.Verdict withSettle = new Readiness(policies(List.of("sentinel", "settle"), ".done", null, 0))
        .evaluate("run1217", run, 0, false);
    assertTrue(withSettle.snapshot() != null, "settle needs every look walked");
    Readiness.Verdict withManifest = new Readiness(policies(List.of("manifest", "sentinel"), ".done", "*.evt", 1))
        .evaluate("run1217", run, 0, false);
    assertEquals(new Readiness.Verdict(false, "sentinel .done not there yet", null), withManifest,
        "a manifest counts names: without the sentinel no walk could make the directory ready");
    assertTrue(agent.evaluate("run1217", run, 0).snapshot() != null, "a caller that asks for a snapshot gets one");
  }

  @Test
  void withTheSentinelAloneAVanishedDirectoryIsStillReportedAsVanished() throws IOException {
    Readiness agent = new Readiness(policies(List.of("sentinel"), ".done", null, 0));

    assertThrows(RunDirectoryException.class, () -> agent.evaluate("run1217", dir.resolve("run1217"), 0, false));
  }
}
