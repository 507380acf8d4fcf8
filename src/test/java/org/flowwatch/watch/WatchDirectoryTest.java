package org.flowwatch.watch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scanner: which entries of a watch directory are run directories. */
class WatchDirectoryTest {
  private static final Pattern RUNS = Pattern.compile("run(?<number>\\d+)");

  @TempDir Path dir;
  private Path root;

  @BeforeEach
  void setUp() throws IOException {
    root = Files.createDirectories(dir.resolve("watch"));
  }

  private Path runDir(Path parent, String name) throws IOException {
    Path run = Files.createDirectories(parent.resolve(name));
    Files.writeString(run.resolve("seg.evt"), "x");
    return run;
  }

  @Test
  void givenNamesThatOnlyContainThePattern_whenListed_thenOnlyWholeNameMatchesAreRunDirectories()
      throws IOException {
    runDir(root, "run12");
    runDir(root, "xrun12");
    runDir(root, "run12.partial");
    runDir(root, "run");
    runDir(root, "RUN13");

    WatchDirectory w = new WatchDirectory(root, RUNS);

    assertEquals(Set.of("run12"), w.runDirectories().keySet());
    assertEquals(Set.of("run12"), w.matchingNames().keySet());
  }

  @Test
  void givenAFileWithARunName_whenListed_thenItIsIgnored() throws IOException {
    Files.writeString(root.resolve("run2"), "a file, not a directory");
    runDir(root, "run3");

    WatchDirectory w = new WatchDirectory(root, RUNS);

    assertEquals(Set.of("run3"), w.runDirectories().keySet());
    assertTrue(w.matchingNames().containsKey("run2"), "the cheap listing matches names only");
    assertFalse(w.accept("run2", root.resolve("run2")));
  }

  @Test
  void givenSymlinksLeadingOutsideOrNowhere_whenListed_thenTheyAreIgnored() throws IOException {
    Path outside = runDir(Files.createDirectories(dir.resolve("elsewhere")), "run7");
    Files.createSymbolicLink(root.resolve("run7"), outside);
    Files.createSymbolicLink(root.resolve("run8"), dir.resolve("nowhere"));
    // a sibling whose name starts like the root is still outside it
    Path sibling = runDir(Files.createDirectories(dir.resolve("watch2")), "run9");
    Files.createSymbolicLink(root.resolve("run9"), sibling);

    WatchDirectory w = new WatchDirectory(root, RUNS);

    assertEquals(Set.of(), w.runDirectories().keySet());
    assertFalse(w.accept("run7", root.resolve("run7")));
    assertFalse(w.accept("run8", root.resolve("run8")));
    assertFalse(w.accept("run9", root.resolve("run9")));
  }

  @Test
  void givenASymlinkToADirectoryInsideTheRoot_whenListed_thenItIsKept() throws IOException {
    Path inside = runDir(Files.createDirectories(root.resolve("incoming")), "landing");
    Files.createSymbolicLink(root.resolve("run5"), inside);
    Files.createSymbolicLink(root.resolve("run6"), Path.of("incoming/landing")); // relative link

    WatchDirectory w = new WatchDirectory(root, RUNS);

    assertEquals(Set.of("run5", "run6"), w.runDirectories().keySet());
  }

  @Test
  void givenARootReachedThroughASymlink_whenListed_thenLinksInsideTheRealRootAreKept() throws IOException {
    Path inside = runDir(Files.createDirectories(root.resolve("incoming")), "landing");
    Files.createSymbolicLink(root.resolve("run5"), inside);
    runDir(root, "run4");
    Path alias = Files.createSymbolicLink(dir.resolve("alias"), root);

    WatchDirectory w = new WatchDirectory(alias, RUNS);

    assertEquals(Set.of("run4", "run5"), w.runDirectories().keySet());
  }

  @Test
  void givenAWatchDirectoryThatIsGone_whenListed_thenNothingIsFoundAndNothingThrows() throws IOException {
    WatchDirectory w = new WatchDirectory(dir.resolve("not-there"), RUNS);

    assertTrue(w.runDirectories().isEmpty());
    assertTrue(w.matchingNames().isEmpty());
  }

  @Test
  void givenALinkInsideTheRootButOutsideEveryCollection_whenListed_thenItIsIgnored() throws IOException {
    Path collection = Files.createDirectories(root.resolve("data"));
    runDir(collection, "run1");
    Path other = runDir(Files.createDirectories(root.resolve("scratch")), "landing");
    Files.createSymbolicLink(root.resolve("run2"), other);
    Files.createSymbolicLink(root.resolve("run3"), collection.resolve("run1"));

    WatchDirectory w = new WatchDirectory(root, RUNS, java.util.List.of(collection));

    assertEquals(Set.of("run3"), w.runDirectories().keySet());
  }

  @Test
  void givenTheRootSwappedForALinkWhileWatching_whenListed_thenNothingIsOfferedUntilItIsBack()
      throws IOException {
    Path real = Files.createDirectories(dir.resolve("real"));
    runDir(real, "run1");
    Path link = Files.createSymbolicLink(dir.resolve("root"), real);
    Path attacker = Files.createDirectories(dir.resolve("attacker"));
    runDir(attacker, "run2");
    WatchDirectory w = new WatchDirectory(link, RUNS);
    assertEquals(Set.of("run1"), w.runDirectories().keySet());

    Files.delete(link);
    Files.createSymbolicLink(link, attacker);

    assertFalse(w.intact());
    assertEquals(Set.of(), w.matchingNames().keySet());
    assertEquals(Set.of(), w.runDirectories().keySet());
    assertFalse(w.accept("run2", link.resolve("run2")));

    Files.delete(link);
    Files.createSymbolicLink(link, real);
    assertTrue(w.intact());
    assertEquals(Set.of("run1"), w.runDirectories().keySet());
  }
}
