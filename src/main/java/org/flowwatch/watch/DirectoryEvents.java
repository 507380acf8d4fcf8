package org.flowwatch.watch;

import io.methvin.watcher.DirectoryChangeEvent;
import io.methvin.watcher.DirectoryChangeListener;
import io.methvin.watcher.DirectoryWatcher;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * File-system events that wake the agent's scan early. Events are hints, never the truth: the periodic
 * scan still runs, duplicates are harmless, and a lost-event overflow (which directory-watcher reports
 * only as an exception) forces a full scan. File hashing is off: the library would otherwise read every
 * byte of every data file on each event.
 */
public final class DirectoryEvents implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DirectoryEvents.class);
  /** Passed to {@code onChange} when only a full scan can tell what changed. */
  static final String EVERYTHING = "";

  private final DirectoryWatcher watcher;
  private final ExecutorService executor;

  private DirectoryEvents(DirectoryWatcher watcher, ExecutorService executor) {
    this.watcher = watcher;
    this.executor = executor;
  }

  /**
   * Starts watching {@code root} recursively.
   *
   * @param onChange receives the run key (first path component under root) an event touched, or
   *     {@link #EVERYTHING}
   */
  static DirectoryEvents start(Path root, Consumer<String> onChange) throws IOException {
    Path base = root.toAbsolutePath().normalize();
    DirectoryWatcher watcher = DirectoryWatcher.builder()
        .path(base)
        .fileHashing(false)
        .listener(new DirectoryChangeListener() {
          @Override
          public void onEvent(DirectoryChangeEvent event) {
            Path p = event.path();
            if (event.eventType() == DirectoryChangeEvent.EventType.OVERFLOW || p == null) {
              onChange.accept(EVERYTHING);
              return;
            }
            Path rel = base.relativize(p.toAbsolutePath().normalize());
            onChange.accept(rel.toString().isEmpty() ? EVERYTHING : rel.getName(0).toString());
          }

          @Override
          public void onException(Exception e) {
            // The JDK's event queue overflowed (it holds 512 per directory) and the library turned the
            // OVERFLOW into an exception: some events are lost, so look at everything.
            log.debug("directory watcher reported {}; forcing a full scan", e.toString());
            onChange.accept(EVERYTHING);
          }
        })
        .build();
    // Our own daemon thread: the library's default would be a non-daemon thread that keeps the JVM alive.
    ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "flowwatch-events");
      t.setDaemon(true);
      return t;
    });
    watcher.watchAsync(executor);
    return new DirectoryEvents(watcher, executor);
  }

  @Override
  public void close() {
    try {
      watcher.close();
    } catch (IOException e) {
      log.debug("closing the directory watcher: {}", e.toString());
    }
    executor.shutdownNow();
  }
}
