package org.flowwatch.watch;

import static java.nio.file.StandardWatchEventKinds.ENTRY_CREATE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_DELETE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_MODIFY;
import static java.nio.file.StandardWatchEventKinds.OVERFLOW;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * File-system events that wake the agent's scan early, on the watch directory itself and on the run
 * directories that can still change (those being settled or found invalid), never on finished ones: a
 * tree of 100,000 finished runs costs no watches, no registration walk and no memory. Events are hints,
 * never the truth: the periodic scan still runs, duplicates are harmless, and lost events (the kernel's
 * queue overflowed) force a full scan.
 *
 * <p>The JDK's watch service is used directly (inotify on Linux) because the agent adds and drops run
 * directories as they start and finish, which a watcher fixed at build time cannot do. A subdirectory
 * created inside a watched run directory is registered when its creation is seen; what was written into
 * it before that is found by the walk the creation's event causes.
 */
public final class DirectoryEvents implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DirectoryEvents.class);
  /** Passed to {@code onChange} when only a full scan can tell what changed. */
  static final String EVERYTHING = "";
  @SuppressWarnings("unchecked")
  private static final WatchEvent.Kind<Path>[] KINDS = new WatchEvent.Kind[] {ENTRY_CREATE, ENTRY_DELETE, ENTRY_MODIFY};
  /** For run directories when only names coming and going can change a verdict. */
  @SuppressWarnings("unchecked")
  private static final WatchEvent.Kind<Path>[] NAMES = new WatchEvent.Kind[] {ENTRY_CREATE, ENTRY_DELETE};

  private final Path root;
  private final WatchService service;
  private final Consumer<String> onChange;
  /** What run directories are watched for: {@link #KINDS}, or {@link #NAMES} alone. */
  private final WatchEvent.Kind<Path>[] runKinds;
  /** Each registered directory's key, and the run key (first name under root) it belongs to. */
  private final Map<WatchKey, Watched> keys = new HashMap<>();
  /** The watch keys of each watched run directory's tree. */
  private final Map<String, Set<WatchKey>> byRun = new HashMap<>();
  private final Thread thread;
  private WatchKey rootKey;
  private long watchesBegun;
  private volatile boolean healthy = true;

  private record Watched(Path dir, String run) {}

  private DirectoryEvents(Path root, WatchService service, Consumer<String> onChange, boolean modifications) {
    this.root = root;
    this.service = service;
    this.onChange = onChange;
    this.runKinds = modifications ? KINDS : NAMES;
    this.thread = new Thread(this::deliver, "flowwatch-events");
    this.thread.setDaemon(true);
  }

  /**
   * Starts watching the names directly in {@code root}; run directories are added with {@link #watch}.
   *
   * @param onChange receives the run key an event touched, or {@link #EVERYTHING}; called on the
   *     watcher's own thread
   * @param modifications whether a file written in a run directory is an event too, or only names
   *     that come and go there (a write is one event per write call: without settle, nothing reads it)
   */
  static DirectoryEvents start(Path root, Consumer<String> onChange, boolean modifications) throws IOException {
    Path base = root.toAbsolutePath().normalize();
    DirectoryEvents events = new DirectoryEvents(base, base.getFileSystem().newWatchService(), onChange,
        modifications);
    synchronized (events) {
      events.rootKey = base.register(events.service, KINDS);
      events.keys.put(events.rootKey, new Watched(base, null));
    }
    events.thread.start();
    return events;
  }

  /**
   * Watches run directory {@code key} and every directory in it, until {@link #unwatch}. Does nothing if
   * it is watched already or is not a directory (a symbolic link is not followed: its target is outside).
   *
   * @return whether it is watched from now on: what was written before must be found by a walk
   */
  synchronized boolean watch(String key) {
    if (byRun.containsKey(key)) {
      return false;
    }
    Path dir = root.resolve(key);
    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      return false;
    }
    byRun.put(key, new HashSet<>());
    registerTree(key, dir);
    watchesBegun++;
    return true;
  }

  /** Whether files written in run directories are events ({@link #start}). */
  boolean modifications() {
    return runKinds == KINDS;
  }

  /** How many times {@link #watch} began to watch a run directory. */
  synchronized long watchesBegun() {
    return watchesBegun;
  }

  /** Stops watching run directory {@code key} (it started, finished or vanished). */
  synchronized void unwatch(String key) {
    Set<WatchKey> tree = byRun.remove(key);
    if (tree != null) {
      for (WatchKey k : tree) {
        k.cancel();
        keys.remove(k);
      }
    }
  }

  /** The run directories watched now. */
  synchronized Set<String> watched() {
    return Set.copyOf(byRun.keySet());
  }

  /** False once an event was lost or the watcher failed: until the next full scan, events miss things. */
  boolean healthy() {
    return healthy;
  }

  /** A full scan looked at everything, so what was lost before it no longer matters. */
  synchronized void caughtUp() {
    healthy = thread.isAlive() && rootKey.isValid();
  }

  /** Registers {@code dir} and the directories below it, without following links. */
  private void registerTree(String run, Path dir) {
    Deque<Path> todo = new ArrayDeque<>();
    todo.push(dir);
    while (!todo.isEmpty()) {
      Path d = todo.pop();
      try {
        WatchKey k = d.register(service, runKinds);
        keys.put(k, new Watched(d, run));
        byRun.get(run).add(k);
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(d)) {
          for (Path p : entries) {
            if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
              todo.push(p);
            }
          }
        }
      } catch (IOException e) {
        // Gone already, unreadable, or out of inotify watches: the periodic walk still sees the tree.
        log.debug("cannot watch {}: {}", d, e.toString());
      }
    }
  }

  private void deliver() {
    try {
      while (true) {
        WatchKey k = service.take();
        for (String touched : handle(k)) {
          onChange.accept(touched);
        }
      }
    } catch (InterruptedException | ClosedWatchServiceException e) {
      // closed: the agent is stopping
    } catch (RuntimeException e) {
      healthy = false;
      log.warn("file-system events stopped ({}); polling only", e.toString());
      onChange.accept(EVERYTHING);
    }
  }

  /** Reads one key's events: the run keys they touched, or {@link #EVERYTHING} alone. */
  private synchronized Set<String> handle(WatchKey k) {
    Watched w = keys.get(k);
    Set<String> touched = new HashSet<>();
    boolean lost = false;
    for (WatchEvent<?> event : k.pollEvents()) {
      if (event.kind() == OVERFLOW) {
        lost = true;
      } else if (w != null && w.run() == null) {
        touched.add(event.context().toString());
      } else if (w != null) {
        touched.add(w.run());
        Path child = w.dir().resolve((Path) event.context());
        if (event.kind() == ENTRY_CREATE && byRun.containsKey(w.run())
            && Files.isDirectory(child, LinkOption.NOFOLLOW_LINKS)) {
          registerTree(w.run(), child);
        }
      }
    }
    if (!k.reset() && w != null) {
      keys.remove(k);
      if (w.run() == null) {
        lost = true; // the watch directory itself went away or was replaced
      } else if (byRun.containsKey(w.run())) {
        byRun.get(w.run()).remove(k);
      }
    }
    if (lost) {
      healthy = false;
      return Set.of(EVERYTHING);
    }
    return touched;
  }

  @Override
  public void close() {
    try {
      service.close();
    } catch (IOException e) {
      log.debug("closing the watch service: {}", e.toString());
    }
    thread.interrupt();
  }
}
