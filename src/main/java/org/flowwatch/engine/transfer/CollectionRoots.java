package org.flowwatch.engine.transfer;

import java.nio.file.Path;
import java.util.Map;
import java.util.TreeSet;
import org.flowwatch.engine.ActionUnableToRunException;
import org.flowwatch.engine.LocalCollection;

/**
 * Finds the {@link LocalCollection} of a collection id (ids are UUIDs, written in either case) and the
 * local file behind a path in it.
 */
final class CollectionRoots {
  private final Map<String, LocalCollection> roots;

  CollectionRoots(Map<String, LocalCollection> roots) {
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
    LocalCollection root = roots.get(collection);
    if (root == null && collection != null) {
      root = roots.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(collection)).map(Map.Entry::getValue)
          .findFirst().orElse(null);
    }
    if (root == null) {
      throw new ActionUnableToRunException("collection " + collection + " (" + parameter + ") has no local"
          + " directory; collections known here: " + known() + ". Map it with --root " + collection
          + "=DIR or local_engine.roots in the config");
    }
    Path local = root.resolve(path, parameter);
    return new CollectionPath(collection, LocalCollection.normalise(path, parameter), local);
  }

  private String known() {
    return roots.isEmpty() ? "none" : String.join(", ", new TreeSet<>(roots.keySet()));
  }
}
