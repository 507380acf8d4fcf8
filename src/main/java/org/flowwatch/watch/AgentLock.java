package org.flowwatch.watch;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.flowwatch.config.ConfigException;
import org.flowwatch.config.PrivateFiles;
import org.flowwatch.config.StateLayout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a second agent off the same ledger, and off the same watch directory on this host. Two locks:
 * {@code <state dir>/agent.lock} (mode 0600) guards the ledger; a file in the host-wide lock directory,
 * named by a hash of the watch directory's real path, guards the watch directory whatever the second
 * agent's {@code --state-dir} and whoever may write the watch directory. Both are OS file locks, so they
 * go away with the process, even after kill -9; each file holds who took it, so a refusal names them.
 *
 * <p>It cannot see an agent on another host: each host has its own lock directory.
 */
public final class AgentLock implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AgentLock.class);

  /**
   * The one deliberate exception to flowwatch's 0600 rule: the watch directory's lock file is shared by
   * the agents of every user on the host, and only a file opened for writing can take an exclusive lock.
   * It holds nothing secret: pid, user, host, state directory, start time and watch directory.
   */
  private static final Set<PosixFilePermission> EVERYONE_FILE = PosixFilePermissions.fromString("rw-rw-rw-");
  /** Like /tmp: everyone may create files, nobody may delete or rename another user's. */
  private static final int STICKY_WORLD_WRITABLE = 01777;
  private static final int HOLDER_MAX_BYTES = 4096;

  private final List<FileChannel> channels = new ArrayList<>();
  private final List<FileLock> locks = new ArrayList<>();

  private AgentLock() {}

  /**
   * Locks {@code <stateDir>/agent.lock}, then the lock file of {@code watchRoot}'s real path in {@code
   * hostLockDirectory} (see {@link StateLayout#hostLockDirectory}), creating what is missing.
   *
   * @throws AgentLockedException naming the agent that holds either lock
   * @throws ConfigException when a lock file cannot be created or opened
   */
  public static AgentLock acquire(Path stateDir, Path hostLockDirectory, Path watchRoot) {
    Path watched = realPath(watchRoot);
    StateLayout state = StateLayout.in(stateDir);
    String holder = "pid " + ManagementFactory.getRuntimeMXBean().getPid() + ", user "
        + System.getProperty("user.name") + ", host " + hostName() + ", state dir " + state.directory()
        + ", since " + Instant.now().truncatedTo(ChronoUnit.SECONDS) + ", watching " + watched;
    AgentLock lock = new AgentLock();
    try {
      createPrivateDirectory(state.directory());
      lock.take(state.agentLock(), PrivateFiles.OWNER_FILE, holder, "another flowwatch agent already uses the ledger in "
          + state.directory(), "stop it first, or give this one its own --state-dir and watch directory");
      createSharedDirectory(hostLockDirectory);
      lock.take(StateLayout.watchLock(hostLockDirectory, watched), EVERYONE_FILE, holder,
          "another flowwatch agent already watches " + watched + " on this host",
          "stop it first: one agent per watch directory per host, whatever its --state-dir");
      return lock;
    } catch (RuntimeException e) {
      lock.close();
      throw e;
    }
  }

  private static Path realPath(Path watchRoot) {
    try {
      return watchRoot.toRealPath();
    } catch (IOException e) {
      throw new ConfigException("cannot resolve the watch directory " + watchRoot + ": " + why(e), e);
    }
  }

  private static void createPrivateDirectory(Path dir) {
    try {
      if (!Files.isDirectory(dir)) {
        Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PrivateFiles.OWNER_DIR));
      }
    } catch (IOException e) {
      throw new ConfigException("cannot create the state directory " + dir + ": " + why(e)
          + "; give --state-dir a directory this user can write", e);
    }
  }

  /** Creates the host lock directory 1777 whatever the umask, so the agents of every user can lock in it. */
  private static void createSharedDirectory(Path dir) {
    try {
      if (Files.isDirectory(dir)) {
        return;
      }
      if (dir.getParent() != null) {
        Files.createDirectories(dir.getParent());
      }
      try {
        Files.createDirectory(dir);
      } catch (FileAlreadyExistsException anotherAgentWasFaster) {
        return;
      }
      // The mode given at creation passes through the umask, and PosixFilePermission has no sticky bit.
      Files.setAttribute(dir, "unix:mode", STICKY_WORLD_WRITABLE);
    } catch (IOException | UnsupportedOperationException e) {
      throw new ConfigException("cannot create the host lock directory " + dir + ": " + why(e) + "; create"
          + " it with mode 1777 (chmod 1777), or point " + StateLayout.LOCK_DIR_VARIABLE + " at a directory every"
          + " flowwatch user on this host can write", e);
    }
  }

  private void take(Path file, Set<PosixFilePermission> mode, String holder, String refusal, String advice) {
    FileChannel channel = open(file, mode);
    try {
      FileLock lock = null;
      // 'flowwatch status' probes the lock by holding it shared for a moment: an agent starting in that
      // moment tries again for a while before it concludes another agent holds it.
      for (int attempt = 0; attempt < PROBE_RETRIES && lock == null; attempt++) {
        try {
          lock = channel.tryLock();
        } catch (OverlappingFileLockException sameJvm) {
          break;
        }
        if (lock == null) {
          pause(PROBE_PAUSE_MILLIS);
        }
      }
      if (lock == null) {
        String other = readHolder(channel);
        // In one JVM this close drops the holder's lock at the OS level too (POSIX record locks belong to
        // the process); the JVM still knows it, and an agent is one per process, so only tests see this.
        channel.close();
        throw new AgentLockedException(refusal + " (" + (other.isEmpty() ? "holder unknown" : other)
            + "; lock file " + file + "); " + advice);
      }
      channels.add(channel);
      locks.add(lock);
      channel.truncate(0);
      channel.write(ByteBuffer.wrap((holder + "\n").getBytes(StandardCharsets.UTF_8)), 0);
      channel.force(false);
      log.debug("locked {}", file);
    } catch (IOException e) {
      closeQuietly(channel);
      throw new ConfigException("cannot lock " + file + ": " + why(e), e);
    }
  }

  private static final int PROBE_RETRIES = 10;
  private static final long PROBE_PAUSE_MILLIS = 50;

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Who holds {@code <stateDir>/agent.lock} now, as the holder wrote it (pid, user, host, since, watch
   * directory); empty when no agent holds it. Takes the lock shared for a moment to find out, which an
   * agent starting at that moment waits out (see {@link #take}). The lock is an OS lock, so an agent that
   * was killed holds nothing, whatever the file still says.
   */
  public static java.util.Optional<String> holder(Path stateDir) {
    Path file = StateLayout.in(stateDir).agentLock();
    if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
      return java.util.Optional.empty();
    }
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
      FileLock probe;
      try {
        probe = channel.tryLock(0, Long.MAX_VALUE, true);
      } catch (OverlappingFileLockException sameJvm) {
        probe = null;
      }
      if (probe != null) {
        probe.release();
        return java.util.Optional.empty();
      }
      String who = readHolder(channel);
      return java.util.Optional.of(who.isEmpty() ? "holder unknown" : who);
    } catch (IOException e) {
      throw new ConfigException("cannot tell whether an agent holds " + file + ": " + why(e), e);
    }
  }

  private static FileChannel open(Path file, Set<PosixFilePermission> mode) {
    FileAttribute<Set<PosixFilePermission>> createAs = PosixFilePermissions.asFileAttribute(mode);
    FileChannel channel;
    try {
      // Never through a symbolic link: in a world-writable directory it could point at anyone's file.
      channel = FileChannel.open(file, Set.of(StandardOpenOption.CREATE, StandardOpenOption.READ,
          StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS), createAs);
    } catch (IOException e) {
      throw new ConfigException("cannot open the lock file " + file + " for writing: " + why(e) + describe(file)
          + "; it must be a regular file every flowwatch user can write (chmod 0666), or be removed while no agent"
          + " runs", e);
    }
    try {
      requirePlainFile(file);
      setModeIfOwner(file, mode);
      return channel;
    } catch (IOException e) {
      closeQuietly(channel);
      throw new ConfigException("cannot inspect the lock file " + file + ": " + why(e), e);
    } catch (RuntimeException e) {
      closeQuietly(channel);
      throw e;
    }
  }

  /** A hard link to another file would make the truncation after locking hit that file. */
  private static void requirePlainFile(Path file) throws IOException {
    Object links = Files.getAttribute(file, "unix:nlink", LinkOption.NOFOLLOW_LINKS);
    if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) || !Integer.valueOf(1).equals(links)) {
      throw new ConfigException("the lock file " + file + " is not a plain file (" + links + " links)"
          + describe(file) + "; remove it while no agent runs");
    }
  }

  /** Creation modes pass through the umask; set the intended one explicitly where this user may. */
  private static void setModeIfOwner(Path file, Set<PosixFilePermission> mode) throws IOException {
    if (Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS).equals(mode)) {
      return;
    }
    try {
      Files.setPosixFilePermissions(file, mode);
    } catch (IOException notTheOwner) {
      // Another user's lock file: usable as it is, since it opened for writing.
      log.debug("cannot set the mode of {}: {}", file, why(notTheOwner));
    }
  }

  private static String describe(Path file) {
    try {
      return " (owner " + Files.getOwner(file, LinkOption.NOFOLLOW_LINKS).getName() + ", mode "
          + PosixFilePermissions.toString(Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS)) + ")";
    } catch (IOException | UnsupportedOperationException e) {
      return "";
    }
  }

  /**
   * What the holder wrote, on one line and without control characters (the file is writable by every
   * user). The holder writes right after locking, so an empty file is read again for a moment.
   */
  private static String readHolder(FileChannel channel) throws IOException {
    for (int attempt = 0; attempt < 20; attempt++) {
      ByteBuffer buffer = ByteBuffer.allocate(HOLDER_MAX_BYTES);
      while (buffer.hasRemaining() && channel.read(buffer, buffer.position()) > 0) {
        // keep reading up to the limit
      }
      String text = new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8)
          .replaceAll("\\p{Cntrl}+", " ").trim();
      if (!text.isEmpty()) {
        return text;
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    return "";
  }

  /** The reason alone: the JDK's file exceptions put the path, which the messages here already name, first. */
  private static String why(Exception e) {
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof NoSuchFileException) {
      return "no such file or directory";
    }
    if (e instanceof FileSystemException f && f.getReason() != null) {
      return f.getReason();
    }
    return e.getMessage();
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "unknown host";
    }
  }

  private static void closeQuietly(FileChannel channel) {
    try {
      channel.close();
    } catch (IOException ignored) {
      // nothing was locked through it
    }
  }

  /**
   * Releases both locks. The files stay: removing one while another agent has it open would let that agent
   * and a third, which creates a new file of the same name, both hold "the" lock.
   */
  @Override
  public void close() {
    for (FileLock l : locks) {
      try {
        l.release();
      } catch (IOException ignored) {
        // released with the process anyway
      }
    }
    for (FileChannel c : channels) {
      closeQuietly(c);
    }
    locks.clear();
    channels.clear();
  }
}
