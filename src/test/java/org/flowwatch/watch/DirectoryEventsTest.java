package org.flowwatch.watch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a watched run directory reports, with and without the writes of its files. */
class DirectoryEventsTest {
  @TempDir Path root;

  private final LinkedBlockingQueue<String> touched = new LinkedBlockingQueue<>();

  /** The next run key touched within a few seconds, or null. */
  private String next() throws InterruptedException {
    return touched.poll(5, TimeUnit.SECONDS);
  }

  /** Whether nothing is touched for half a second. */
  private boolean quiet() throws InterruptedException {
    return touched.poll(500, TimeUnit.MILLISECONDS) == null;
  }

  private Path watchedRun(DirectoryEvents events) throws IOException, InterruptedException {
    Path run = Files.createDirectory(root.resolve("run7"));
    assertEquals("run7", next(), "the root's event");
    Files.writeString(run.resolve("a.evt"), "first");
    assertTrue(events.watch("run7"));
    touched.clear();
    return run;
  }

  @Test
  void withoutModificationsOnlyNamesComingAndGoingAreEvents() throws Exception {
    try (DirectoryEvents events = DirectoryEvents.start(root, touched::add, false)) {
      Path run = watchedRun(events);

      Files.writeString(run.resolve("a.evt"), "more", StandardOpenOption.APPEND);
      assertTrue(quiet(), "a write is not an event");
      Files.createFile(run.resolve(".done"));
      assertEquals("run7", next());
      Files.move(run.resolve("a.evt"), run.resolve("b.evt"));
      assertEquals("run7", next());
      Files.createDirectory(run.resolve("sub"));
      assertEquals("run7", next());
      Thread.sleep(200); // the new subdirectory is registered on the watcher's thread
      touched.clear();
      Files.writeString(run.resolve("sub").resolve("c.evt"), "in a subdirectory");
      assertEquals("run7", next(), "a subdirectory made later is watched too");
    }
  }

  @Test
  void withModificationsAWriteIsAnEvent() throws Exception {
    try (DirectoryEvents events = DirectoryEvents.start(root, touched::add, true)) {
      Path run = watchedRun(events);

      Files.writeString(run.resolve("a.evt"), "more", StandardOpenOption.APPEND);
      assertEquals("run7", next());
      assertTrue(events.modifications());
    }
  }
}
