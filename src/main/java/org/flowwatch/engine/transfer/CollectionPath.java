package org.flowwatch.engine.transfer;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A path as a flow names it inside a collection, and the local file it stands for.
 *
 * @param collection the collection id, as the definition wrote it
 * @param path the path in the collection, normalised, always starting with {@code /}
 * @param local the local file or directory under the collection's directory
 */
record CollectionPath(String collection, String path, Path local) {
  CollectionPath {
    Objects.requireNonNull(collection, "collection");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(local, "local");
  }

  /** The last name of the path ("/" for the collection's root), as Transfer's file documents give it. */
  String name() {
    Path file = local.getFileName();
    return "/".equals(path) || file == null ? "/" : file.toString();
  }

  /** The entry {@code name} inside this directory. */
  CollectionPath child(String name) {
    return new CollectionPath(collection, path.endsWith("/") ? path + name : path + "/" + name, local.resolve(name));
  }
}
