package org.flowwatch.watch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which file system a watch directory is on, from /proc/mounts lines. The mount points are real
 * directories under a temporary directory, so that resolving the watch directory's real path works as it
 * does on a host.
 */
class MountTableTest {
  @TempDir Path tmp;
  private Path base;

  @BeforeEach
  void setUp() throws IOException {
    base = tmp.toRealPath();
  }

  private Path dir(String relative) throws IOException {
    return Files.createDirectories(base.resolve(relative));
  }

  private static String line(String device, Path mountPoint, String type) {
    return device + " " + mountPoint.toString().replace(" ", "\\040") + " " + type + " rw,relatime 0 0";
  }

  @Test
  void givenNfsCephAndFuseMounts_whenAskedAboutDirectoriesOnThem_thenEachIsANetworkFileSystem()
      throws IOException {
    Path nfs = dir("nfs");
    Path ceph = dir("ceph");
    Path sshfs = dir("sshfs");
    Path gpfs = dir("gpfs");
    MountTable t = new MountTable(List.of(
        line("/dev/sda1", Path.of("/"), "ext4"),
        line("server:/export", nfs, "nfs4"),
        line("10.0.0.1:6789:/", ceph, "ceph"),
        line("user@host:/data", sshfs, "fuse.sshfs"),
        line("gpfs0", gpfs, "gpfs")));

    assertEquals("nfs4", t.typeOf(dir("nfs/watch")));
    assertTrue(t.isNetwork(dir("nfs/watch")));
    assertTrue(t.isNetwork(dir("ceph/watch")));
    assertTrue(t.isNetwork(dir("sshfs/watch")));
    assertTrue(t.isNetwork(dir("gpfs/watch")));
  }

  @Test
  void givenALocalDisk_whenAskedAboutADirectoryOnIt_thenItIsNotANetworkFileSystem() throws IOException {
    MountTable t = new MountTable(List.of(line("/dev/sda1", Path.of("/"), "xfs")));

    assertEquals("xfs", t.typeOf(dir("watch")));
    assertFalse(t.isNetwork(dir("watch")));
  }

  @Test
  void givenNestedMounts_whenAskedAboutADirectory_thenTheLongestMountPointAboveItWins() throws IOException {
    Path data = dir("data");
    Path local = dir("data/local");
    MountTable t = new MountTable(List.of(
        line("/dev/sda1", Path.of("/"), "ext4"),
        line("/dev/sdb1", local, "xfs"),
        line("server:/data", data, "nfs")));

    assertEquals("xfs", t.typeOf(dir("data/local/watch")));
    assertEquals("nfs", t.typeOf(dir("data/other/watch")));
  }

  @Test
  void givenAMountPointThatIsOnlyANamePrefix_whenAskedAboutASibling_thenItDoesNotCount() throws IOException {
    Path data = dir("data");
    MountTable t = new MountTable(List.of(
        line("/dev/sda1", Path.of("/"), "ext4"),
        line("server:/data", data, "nfs")));

    assertEquals("ext4", t.typeOf(dir("database/watch")));
  }

  @Test
  void givenAMountPointWithASpace_whenAskedAboutADirectoryUnderIt_thenTheEscapedNameIsUnderstood()
      throws IOException {
    Path spaced = dir("beam time");
    MountTable t = new MountTable(List.of(
        line("/dev/sda1", Path.of("/"), "ext4"),
        line("server:/beam", spaced, "nfs4")));

    assertTrue(line("server:/beam", spaced, "nfs4").contains("beam\\040time"));
    assertEquals("nfs4", t.typeOf(dir("beam time/run1217")));
  }

  @Test
  void givenAnAutofsMountPointWithTheRealMountOnTop_whenAsked_thenTheMountedFileSystemWins() throws IOException {
    // systemd automount: /proc/mounts lists the autofs trap first, then the NFS mount on the same point
    Path data = dir("data");
    MountTable t = new MountTable(List.of(
        line("/dev/sda1", Path.of("/"), "ext4"),
        line("systemd-1", data, "autofs"),
        line("server:/data", data, "nfs4")));

    assertEquals("nfs4", t.typeOf(dir("data/watch")));
    assertTrue(t.isNetwork(dir("data/watch")));
  }

  @Test
  void givenAWatchDirectoryReachedThroughASymlink_whenAsked_thenTheFileSystemItReallyIsOnCounts()
      throws IOException {
    Path nfs = dir("nfs");
    Path link = Files.createSymbolicLink(base.resolve("shortcut"), dir("nfs/watch"));
    MountTable t = new MountTable(List.of(
        line("/dev/sda1", Path.of("/"), "ext4"),
        line("server:/export", nfs, "nfs")));

    assertTrue(t.isNetwork(link));
  }

  @Test
  void givenNoMountTable_whenAsked_thenNothingLooksNetworked() throws IOException {
    MountTable t = new MountTable(List.of());

    assertEquals("unknown", t.typeOf(dir("watch")));
    assertFalse(t.isNetwork(dir("watch")));
  }
}
