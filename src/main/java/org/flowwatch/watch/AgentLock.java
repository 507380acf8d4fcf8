package org.flowwatch.watch;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a second agent off the same ledger or watch directory. The lock is an OS file lock, so it goes
 * away with the process, even after kill -9; the file holds who took it, so the refusal can name them.
 */
public final class AgentLock implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AgentLock.class);

  private final List<RandomAccessFile> files = new ArrayList<>();
  private final List<FileLock> locks = new ArrayList<>();

  private AgentLock() {}

  /**
   * Locks {@code <stateDir>/agent.lock} and, when the watch directory is writable, its
   * {@code .flowwatch.lock} (which catches a second agent started with another --state-dir).
   *
   * @throws AgentLockedException naming the holder
   */
  public static AgentLock acquire(Path stateDir, Path watchRoot) {
    AgentLock lock = new AgentLock();
    String holder = "pid " + ManagementFactory.getRuntimeMXBean().getPid() + " on " + hostName() + ", started "
        + Instant.now() + ", watching " + watchRoot.toAbsolutePath().normalize();
    try {
      lock.take(stateDir.resolve("agent.lock"), holder, "ledger in " + stateDir);
      Path shared = watchRoot.resolve(".flowwatch.lock");
      if (Files.isWritable(watchRoot)) {
        lock.take(shared, holder, "watch directory " + watchRoot);
      } else {
        log.warn("cannot write {}: a second agent on this watch directory with another --state-dir would not"
            + " be detected", shared);
      }
      return lock;
    } catch (RuntimeException e) {
      lock.close();
      throw e;
    }
  }

  private void take(Path file, String holder, String what) {
    try {
      Files.createDirectories(file.getParent());
      RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw");
      FileChannel channel = raf.getChannel();
      FileLock lock;
      try {
        lock = channel.tryLock();
      } catch (OverlappingFileLockException e) {
        lock = null;
      }
      if (lock == null) {
        String other = new String(Files.readAllBytes(file), StandardCharsets.UTF_8).trim();
        raf.close();
        throw new AgentLockedException("another flowwatch agent already uses the " + what + " ("
            + (other.isEmpty() ? "holder unknown" : other) + "); stop it first, or give this one its own"
            + " --state-dir and watch directory");
      }
      raf.setLength(0);
      raf.write((holder + "\n").getBytes(StandardCharsets.UTF_8));
      raf.getFD().sync();
      files.add(raf);
      locks.add(lock);
    } catch (IOException e) {
      throw new AgentLockedException("cannot lock " + file + ": " + e.getMessage(), e);
    }
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "unknown host";
    }
  }

  @Override
  public void close() {
    for (FileLock l : locks) {
      try {
        l.release();
      } catch (IOException ignored) {
        // released with the process anyway
      }
    }
    for (RandomAccessFile f : files) {
      try {
        f.close();
      } catch (IOException ignored) {
        // as above
      }
    }
  }
}
