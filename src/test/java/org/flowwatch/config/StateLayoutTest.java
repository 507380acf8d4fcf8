package org.flowwatch.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateLayoutTest {
  @TempDir Path dir;

  @Test
  void theDefaultStateDirectoryFollowsXdgAndFallsBackToHome() {
    assertEquals(Path.of("/srv/state/flowwatch"),
        StateLayout.forEnvironment(Map.of("XDG_STATE_HOME", "/srv/state", "HOME", "/home/ops")).directory());
    // XDG says a relative value is to be ignored.
    assertEquals(Path.of("/home/ops/.local/state/flowwatch"),
        StateLayout.forEnvironment(Map.of("XDG_STATE_HOME", "relative", "HOME", "/home/ops")).directory());
    assertEquals(Path.of("/home/ops/.local/state/flowwatch"),
        StateLayout.forEnvironment(Map.of("HOME", "/home/ops")).directory());
  }

  @Test
  void anExplicitStateDirectoryWinsAndIsMadeAbsolute() {
    StateLayout layout = StateLayout.of(Path.of("var/../state"), Map.of("XDG_STATE_HOME", "/srv/state"));
    assertEquals(Path.of("state").toAbsolutePath(), layout.directory());
  }

  @Test
  void namesEveryFileInTheStateDirectory() {
    StateLayout layout = StateLayout.in(dir);
    assertEquals(dir.resolve("ledger.db"), layout.ledger());
    assertEquals(dir.resolve("agent.lock"), layout.agentLock());
    assertEquals(dir.resolve("tokens.json"), layout.tokens());
    assertEquals(dir.resolve("compute-functions.json"), layout.computeFunctions());
  }

  @Test
  void theHostLockDirectoryIsRunLockUnlessMovedByTheEnvironment() throws Exception {
    Path runLock = Files.createDirectories(dir.resolve("run/lock"));
    assertEquals(runLock.resolve("flowwatch"), StateLayout.hostLockDirectory(Map.of(), runLock));
    assertEquals(Path.of("/tmp/flowwatch-locks"), StateLayout.hostLockDirectory(Map.of(), dir.resolve("no-such")));
    assertEquals(Path.of("/srv/locks"),
        StateLayout.hostLockDirectory(Map.of("FLOWWATCH_LOCK_DIR", "/srv/locks/"), runLock));
    assertEquals(runLock.resolve("flowwatch"), StateLayout.hostLockDirectory(Map.of("FLOWWATCH_LOCK_DIR", " "), runLock));
  }

  @Test
  void aWatchDirectoryLockIsNamedByTheHashOfItsPath() {
    Path locks = Path.of("/run/lock/flowwatch");
    Path lock = StateLayout.watchLock(locks, Path.of("/mnt/cephfs/e21062"));
    assertEquals(locks, lock.getParent());
    assertTrue(lock.getFileName().toString().matches("watch-[0-9a-f]{32}\\.lock"), lock.toString());
    // The first 32 hex digits of sha-256("/mnt/cephfs/e21062"): stable across versions, so agents of an
    // older and a newer flowwatch on one host still meet in the same file.
    assertEquals(locks.resolve("watch-2e5872e9cdfc2b98b5c889304d5fef43.lock"), lock);
    assertNotEquals(lock, StateLayout.watchLock(locks, Path.of("/mnt/cephfs/e21063")));
  }
}
