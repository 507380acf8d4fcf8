package org.flowwatch.watch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * Which file system a directory lives on, from /proc/mounts. inotify sees only writes made by this host,
 * so on network file systems (written by other hosts) events cannot be trusted and the agent polls.
 */
public final class MountTable {
  private static final Set<String> NETWORK = Set.of("nfs", "nfs4", "ceph", "lustre", "gpfs", "cifs", "smb3",
      "smbfs", "fuse", "glusterfs", "beegfs", "panfs", "9p", "afs", "davfs");

  private final List<String> lines;

  MountTable(List<String> lines) {
    this.lines = lines;
  }

  /** This host's mount table; empty (so nothing looks networked) where /proc/mounts is missing. */
  public static MountTable read() {
    try {
      return new MountTable(Files.readAllLines(Path.of("/proc/mounts")));
    } catch (IOException e) {
      return new MountTable(List.of());
    }
  }

  /**
   * The type of the file system holding {@code dir} (the longest mount point above it; of several on the
   * same point, the last, which is on top), or "unknown".
   */
  public String typeOf(Path dir) {
    Path real;
    try {
      real = dir.toRealPath();
    } catch (IOException e) {
      real = dir.toAbsolutePath().normalize();
    }
    String best = "unknown";
    int bestLength = -1;
    for (String line : lines) {
      String[] f = line.split(" ");
      if (f.length < 3) {
        continue;
      }
      // /proc/mounts escapes spaces and tabs in mount points as octal.
      Path mountPoint = Path.of(f[1].replace("\\040", " ").replace("\\011", "\t"));
      // '>=': a later line on the same mount point is mounted over the earlier one and hides it (an
      // autofs trap is listed first, then the NFS mount it triggered).
      if (real.startsWith(mountPoint) && mountPoint.toString().length() >= bestLength) {
        best = f[2];
        bestLength = mountPoint.toString().length();
      }
    }
    return best;
  }

  /** True for nfs, ceph, lustre, gpfs, cifs, fuse and the like. */
  public boolean isNetwork(Path dir) {
    String type = typeOf(dir);
    return NETWORK.contains(type) || type.startsWith("fuse.") || type.startsWith("nfs");
  }
}
