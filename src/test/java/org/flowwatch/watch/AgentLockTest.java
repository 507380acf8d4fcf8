package org.flowwatch.watch;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.flowwatch.config.ConfigException;
import org.flowwatch.config.StateLayout;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentLockTest {
  @TempDir Path dir;
  private Path locks;
  private Path watch;

  @BeforeEach
  void setUp() throws Exception {
    locks = dir.resolve("run-lock/flowwatch"); // not there yet: the first agent creates it
    watch = Files.createDirectories(dir.resolve("data/e21062"));
  }

  @Test
  void aSecondAgentReachingTheSameWatchDirectoryThroughASymlinkIsRefusedAndNamesTheFirst() throws Exception {
    Path link = Files.createSymbolicLink(dir.resolve("e21062-link"), watch);
    try (AgentLock first = AgentLock.acquire(dir.resolve("state-a"), locks, watch)) {
      AgentLockedException refused = assertThrows(AgentLockedException.class,
          () -> AgentLock.acquire(dir.resolve("state-b"), locks, link));
      String message = refused.getMessage();
      assertTrue(message.contains("another flowwatch agent already watches " + watch.toRealPath() + " on this host"),
          message);
      assertTrue(message.contains("pid " + ManagementFactory.getRuntimeMXBean().getPid() + ","), message);
      assertTrue(message.contains("user " + System.getProperty("user.name") + ","), message);
      assertTrue(message.contains("state dir " + dir.resolve("state-a")), message);
      assertTrue(message.matches("(?s).*since \\d{4}-\\d\\d-\\d\\dT.*"), message);
      assertTrue(message.contains("host "), message);
      assertTrue(message.contains("whatever its --state-dir"), message);
    }
  }

  @Test
  void agentsOnDifferentWatchDirectoriesDoNotCollide() throws Exception {
    Path other = Files.createDirectories(dir.resolve("data/e21063"));
    try (AgentLock first = AgentLock.acquire(dir.resolve("state-a"), locks, watch);
        AgentLock second = AgentLock.acquire(dir.resolve("state-b"), locks, other)) {
      assertEquals(2, lockFiles());
    }
  }

  @Test
  void theSameLedgerIsRefusedEvenForAnotherWatchDirectory() throws Exception {
    Path other = Files.createDirectories(dir.resolve("data/e21063"));
    try (AgentLock first = AgentLock.acquire(dir.resolve("state"), locks, watch)) {
      AgentLockedException refused = assertThrows(AgentLockedException.class,
          () -> AgentLock.acquire(dir.resolve("state"), locks, other));
      assertTrue(refused.getMessage().contains("already uses the ledger in " + dir.resolve("state")),
          refused.getMessage());
    }
    // The refused attempt must not have left its host lock behind.
    assertDoesNotThrow(() -> AgentLock.acquire(dir.resolve("state-b"), locks, other).close());
  }

  @Test
  void closingReleasesBothLocks() {
    AgentLock.acquire(dir.resolve("state"), locks, watch).close();
    assertDoesNotThrow(() -> AgentLock.acquire(dir.resolve("state"), locks, watch).close());
    assertDoesNotThrow(() -> AgentLock.acquire(dir.resolve("state-b"), locks, watch).close());
  }

  @Test
  void theHostLockIsSharedByEveryUserAndTheStateLockIsPrivate() throws Exception {
    try (AgentLock lock = AgentLock.acquire(dir.resolve("state"), locks, watch)) {
      assertEquals("1777", mode(locks), "host lock directory");
      assertEquals("666", mode(StateLayout.watchLock(locks, watch.toRealPath())), "watch directory lock file");
      assertEquals("600", mode(dir.resolve("state/agent.lock")), "agent.lock");
      assertEquals("700", mode(dir.resolve("state")), "state directory");
    }
  }

  @Test
  void aLockFileThisUserCreatedUnderAnotherUmaskIsMadeSharedAgain() throws Exception {
    Files.createDirectories(locks);
    Path file = StateLayout.watchLock(locks, watch.toRealPath());
    Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    AgentLock.acquire(dir.resolve("state"), locks, watch).close();
    assertEquals("666", mode(file));
  }

  @Test
  void aSymlinkPlantedAsTheLockFileIsNeverFollowed() throws Exception {
    Files.createDirectories(locks);
    Path victim = Files.writeString(dir.resolve("victim.txt"), "precious");
    Files.createSymbolicLink(StateLayout.watchLock(locks, watch.toRealPath()), victim);
    ConfigException e = assertThrows(ConfigException.class, () -> AgentLock.acquire(dir.resolve("state"), locks, watch));
    assertTrue(e.getMessage().contains("cannot open the lock file"), e.getMessage());
    assertEquals("precious", Files.readString(victim));
    // The ledger lock taken before must have been let go.
    assertDoesNotThrow(() -> AgentLock.acquire(dir.resolve("state"), locks, Files.createDirectories(dir.resolve("x")))
        .close());
  }

  @Test
  void aHardLinkPlantedAsTheLockFileIsNeverTruncated() throws Exception {
    Files.createDirectories(locks);
    Path victim = Files.writeString(dir.resolve("victim.txt"), "precious");
    Files.createLink(StateLayout.watchLock(locks, watch.toRealPath()), victim);
    ConfigException e = assertThrows(ConfigException.class, () -> AgentLock.acquire(dir.resolve("state"), locks, watch));
    assertTrue(e.getMessage().contains("not a plain file"), e.getMessage());
    assertEquals("precious", Files.readString(victim));
  }

  private long lockFiles() throws Exception {
    try (Stream<Path> files = Files.list(locks)) {
      return files.filter(p -> p.getFileName().toString().endsWith(".lock")).count();
    }
  }

  private static String mode(Path p) throws Exception {
    return Integer.toOctalString((Integer) Files.getAttribute(p, "unix:mode") & 07777);
  }
}
