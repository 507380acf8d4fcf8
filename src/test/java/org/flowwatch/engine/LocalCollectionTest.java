package org.flowwatch.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A collection's Globus paths become local files under its local root, and never anything outside it. */
class LocalCollectionTest {
  @TempDir Path tmp;

  @Test
  void aGlobusPathUnderTheGlobusRootIsTheSamePathUnderTheLocalRoot() throws Exception {
    LocalCollection frib = new LocalCollection(tmp.resolve("cephfs/sci-dtn"), "/mnt/sci-dtn");

    assertEquals(tmp.resolve("cephfs/sci-dtn/e21062_2/rawdata/run1217"),
        frib.resolve("/mnt/sci-dtn/e21062_2/rawdata/run1217", "path"));
    assertEquals(tmp.resolve("cephfs/sci-dtn"), frib.resolve("/mnt/sci-dtn/", "path"));
    assertEquals(tmp.resolve("cephfs/sci-dtn/x"), frib.resolve("/mnt//sci-dtn/./y/../x", "path"));
  }

  @Test
  void aCollectionMappedAtADirectoryHasItsSlashThere() throws Exception {
    LocalCollection nersc = LocalCollection.at(tmp);

    assertEquals(tmp.resolve("global/cfs/cdirs/m4386"), nersc.resolve("/global/cfs/cdirs/m4386", "path"));
    assertEquals(tmp, nersc.resolve("/", "path"));
    assertEquals(tmp.resolve("logs"), nersc.resolve("/~/logs", "path"));
  }

  @Test
  void aPathOutsideTheGlobusRootIsRefusedEvenWhenItsNameStartsTheSame() {
    LocalCollection frib = new LocalCollection(tmp, "/mnt/sci-dtn");

    ActionUnableToRunException e = assertThrows(ActionUnableToRunException.class,
        () -> frib.resolve("/mnt/sci-dtn2/run1217", "DATA[0].source_path"));
    assertTrue(e.getMessage().startsWith("DATA[0].source_path is /mnt/sci-dtn2/run1217, outside /mnt/sci-dtn"),
        e.getMessage());
    assertThrows(ActionUnableToRunException.class, () -> frib.resolve("/etc/passwd", "path"));
  }

  @Test
  void dotDotAboveTheRootAndRelativePathsAreRefused() {
    LocalCollection nersc = LocalCollection.at(tmp);

    assertTrue(assertThrows(ActionUnableToRunException.class, () -> nersc.resolve("/a/../../etc", "path"))
        .getMessage().contains("climbs above the collection's root"));
    assertTrue(assertThrows(ActionUnableToRunException.class, () -> nersc.resolve("etc/passwd", "path"))
        .getMessage().contains("a relative path"));
    LocalCollection frib = new LocalCollection(tmp, "/mnt/sci-dtn");
    assertThrows(ActionUnableToRunException.class, () -> frib.resolve("/mnt/sci-dtn/../../etc", "path"));
  }

  @Test
  void aSymbolicLinkThatLeadsOutOfTheLocalRootIsRefused() throws Exception {
    Path root = Files.createDirectories(tmp.resolve("root"));
    Path outside = Files.createDirectories(tmp.resolve("outside"));
    Files.createSymbolicLink(root.resolve("escape"), outside);

    ActionUnableToRunException e = assertThrows(ActionUnableToRunException.class,
        () -> new LocalCollection(root, "/mnt/sci-dtn").resolve("/mnt/sci-dtn/escape/new-file", "path"));
    assertTrue(e.getMessage().contains("leads through a symbolic link to " + outside.toRealPath()), e.getMessage());
  }
}
