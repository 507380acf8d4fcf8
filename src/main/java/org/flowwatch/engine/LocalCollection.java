package org.flowwatch.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Where a Globus collection's files are on this machine: the directory {@code localRoot} holds what the
 * collection shows at {@code globusRoot}. FRIB's DTN collection shows its CephFS mount
 * ({@code /mnt/cephfs/sci-dtn} here) as {@code /mnt/sci-dtn}, so the Globus path
 * {@code /mnt/sci-dtn/e21062_2/run1217} is {@code /mnt/cephfs/sci-dtn/e21062_2/run1217}; a collection mapped
 * with {@code --root ID=DIR} or {@code local_engine.roots} has {@code globusRoot} {@code /}: its every path
 * is under DIR.
 *
 * <p>{@link #resolve} never leaves {@code localRoot}: {@code ..} that climbs above the collection's root, a
 * path outside {@code globusRoot}, and a symbolic link on the way that leads out of {@code localRoot} are
 * refused, as a collection's own path restrictions would refuse them.
 *
 * @param localRoot the local directory (absolute)
 * @param globusRoot the path, as the collection shows it, of what {@code localRoot} holds; starts with {@code /}
 */
public record LocalCollection(Path localRoot, String globusRoot) {
  public LocalCollection {
    Objects.requireNonNull(localRoot, "localRoot");
    Objects.requireNonNull(globusRoot, "globusRoot");
    localRoot = localRoot.toAbsolutePath().normalize();
    if (!globusRoot.startsWith("/")) {
      throw new IllegalArgumentException("globusRoot must start with /, got '" + globusRoot + "'");
    }
    globusRoot = normalised(globusRoot);
  }

  /** A collection whose every path is under {@code dir} ({@code /} is {@code dir}). */
  public static LocalCollection at(Path dir) {
    return new LocalCollection(dir, "/");
  }

  /**
   * The local file behind {@code path} in this collection.
   *
   * @param parameter what named the path, for messages ("DATA[0].source_path")
   * @throws ActionUnableToRunException for an empty or relative path, one that climbs above the
   *     collection's root, one outside {@code globusRoot}, or one that leads out through a symbolic link
   */
  public Path resolve(String path, String parameter) throws ActionUnableToRunException {
    String inCollection = normalise(path, parameter);
    String rest;
    if (globusRoot.equals("/")) {
      rest = inCollection.substring(1);
    } else if (inCollection.equals(globusRoot)) {
      rest = "";
    } else if (inCollection.startsWith(globusRoot + "/")) {
      rest = inCollection.substring(globusRoot.length() + 1);
    } else {
      throw new ActionUnableToRunException(parameter + " is " + path + ", outside " + globusRoot + ", the part of"
          + " the collection that is on this machine (at " + localRoot + "); give a path under " + globusRoot);
    }
    Path local = rest.isEmpty() ? localRoot : localRoot.resolve(rest);
    refuseLinksOut(local, path, parameter);
    return local;
  }

  /**
   * The path with {@code .}, {@code ..} and doubled slashes resolved, always starting with {@code /}.
   * {@code /~/} is the collection's home directory on a real collection; here it is the collection's root.
   */
  public static String normalise(String path, String parameter) throws ActionUnableToRunException {
    if (path == null || path.isEmpty()) {
      throw new ActionUnableToRunException(parameter + " is empty: give an absolute path in the collection");
    }
    String rest = path;
    if (rest.equals("~") || rest.equals("/~")) {
      rest = "/";
    } else if (rest.startsWith("/~/")) {
      rest = rest.substring(2);
    } else if (rest.startsWith("~/")) {
      rest = rest.substring(1);
    }
    if (!rest.startsWith("/")) {
      throw new ActionUnableToRunException(parameter + " is " + path + ", a relative path: paths in a"
          + " collection are absolute (start with /)");
    }
    List<String> parts = new ArrayList<>();
    for (String part : rest.split("/")) {
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (part.equals("..")) {
        if (parts.isEmpty()) {
          throw new ActionUnableToRunException(parameter + " is " + path + ", which climbs above the"
              + " collection's root with ..; give a path inside the collection");
        }
        parts.remove(parts.size() - 1);
      } else if (part.indexOf('\0') >= 0) {
        throw new ActionUnableToRunException(parameter + " holds a NUL character: " + path.replace("\0", "\\0"));
      } else {
        parts.add(part);
      }
    }
    return "/" + String.join("/", parts);
  }

  private static String normalised(String globusRoot) {
    try {
      return normalise(globusRoot, "globusRoot");
    } catch (ActionUnableToRunException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  /**
   * Refuses a path whose deepest existing ancestor is, once links are followed, outside the local root: a
   * link inside the collection must not open the rest of the machine.
   */
  private void refuseLinksOut(Path local, String path, String parameter) throws ActionUnableToRunException {
    try {
      Path existing = local;
      while (existing != null && !Files.exists(existing)) {
        existing = existing.getParent();
      }
      if (existing == null || !existing.startsWith(localRoot) && !Files.exists(localRoot)) {
        return;
      }
      Path realRoot = localRoot.toRealPath();
      Path real = existing.toRealPath();
      if (!real.startsWith(realRoot)) {
        throw new ActionUnableToRunException(parameter + " is " + path + ", which leads through a symbolic"
            + " link to " + real + ", outside the collection's directory " + realRoot);
      }
    } catch (IOException e) {
      throw new ActionUnableToRunException("could not check " + parameter + " (" + path + ") against the"
          + " collection's directory " + localRoot + ": " + e.getMessage());
    }
  }
}
