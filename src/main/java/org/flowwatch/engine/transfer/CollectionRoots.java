package org.flowwatch.engine.transfer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.flowwatch.engine.ActionUnableToRunException;

/**
 * Turns a collection id and a path in it into a local file, the way a collection maps its own paths
 * onto its storage: {@code /a/b} is {@code DIR/a/b}. Nothing outside the collection's directory is ever
 * reached: {@code ..} that climbs above the root, and symbolic links on the way that lead out of it, are
 * refused, as a collection's path restrictions would refuse them.
 */
final class CollectionRoots {
  private final Map<String, Path> roots;

  CollectionRoots(Map<String, Path> roots) {
    this.roots = Map.copyOf(roots);
  }

  /**
   * The local file behind {@code path} in {@code collection}.
   *
   * @param parameter the parameter that named it, for messages ("DATA[0].source_path")
   * @throws ActionUnableToRunException for an unknown collection, a relative path, or a path that leaves
   *     the collection's directory
   */
  CollectionPath resolve(String collection, String path, String parameter) throws ActionUnableToRunException {
    Path root = roots.get(collection);
    if (root == null && collection != null) {
      // Collection ids are UUIDs, which definitions and configs may write in either case.
      root = roots.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(collection)).map(Map.Entry::getValue)
          .findFirst().orElse(null);
    }
    if (root == null) {
      throw new ActionUnableToRunException("collection " + collection + " (" + parameter + ") has no local"
          + " directory; collections known here: " + known() + ". Map it with --root " + collection
          + "=DIR or local_engine.roots in the config");
    }
    String normalised = normalise(path, parameter);
    Path local = normalised.equals("/") ? root : root.resolve(normalised.substring(1));
    refuseLinksOut(root, local, path, parameter);
    return new CollectionPath(collection, normalised, local);
  }

  private String known() {
    return roots.isEmpty() ? "none" : String.join(", ", new TreeSet<>(roots.keySet()));
  }

  /**
   * The path with {@code .}, {@code ..} and doubled slashes resolved. {@code /~/} is the collection's home
   * directory on a real collection; a local directory has one root, so it is that root.
   */
  private static String normalise(String path, String parameter) throws ActionUnableToRunException {
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

  /**
   * Refuses a path whose deepest existing ancestor is, once links are followed, outside the root: a link
   * inside the collection must not open the rest of the machine.
   */
  private static void refuseLinksOut(Path root, Path local, String path, String parameter)
      throws ActionUnableToRunException {
    try {
      Path realRoot = root.toRealPath();
      Path existing = local;
      while (existing != null && !Files.exists(existing)) {
        existing = existing.getParent();
      }
      if (existing == null) {
        return;
      }
      Path real = existing.toRealPath();
      if (!real.startsWith(realRoot)) {
        throw new ActionUnableToRunException(parameter + " is " + path + ", which leads through a symbolic"
            + " link to " + real + ", outside the collection's directory " + realRoot);
      }
    } catch (IOException e) {
      throw new ActionUnableToRunException("could not check " + parameter + " (" + path + ") against the"
          + " collection's directory " + root + ": " + e.getMessage());
    }
  }
}
