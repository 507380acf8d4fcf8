package org.flowwatch.config;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * A Globus collection flowwatch knows about.
 *
 * @param name the key of this collection in the config
 * @param id the Globus collection id
 * @param localRoot where the collection's root is mounted on this host, or null when it is not mounted here
 * @param globusRoot the same directory as a path seen through Globus (FRIB: local {@code /mnt/cephfs/sci-dtn}
 *     is {@code /mnt/sci-dtn} in the collection); defaults to the local root
 * @param dataAccess whether this is a GCSv5 mapped (non high-assurance) collection whose
 *     {@code data_access} scope must be requested as a dependency
 */
public record CollectionConfig(String name, UUID id, Path localRoot, String globusRoot, boolean dataAccess) {

  public CollectionConfig {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(id, "id");
    if (localRoot != null) {
      if (!localRoot.isAbsolute()) {
        throw new IllegalArgumentException("local_root must be an absolute path, got '" + localRoot + "'");
      }
      localRoot = localRoot.normalize();
    }
    if (globusRoot == null && localRoot != null) {
      globusRoot = localRoot.toString();
    }
  }

  /**
   * The Globus path of a local path inside this collection's local root, or empty when the path is
   * not under it.
   */
  public Optional<String> globusPathOf(Path local) {
    if (localRoot == null) {
      return Optional.empty();
    }
    Path abs = local.toAbsolutePath().normalize();
    if (!abs.startsWith(localRoot)) {
      return Optional.empty();
    }
    String rel = localRoot.relativize(abs).toString();
    String root = globusRoot.endsWith("/") ? globusRoot.substring(0, globusRoot.length() - 1) : globusRoot;
    return Optional.of(rel.isEmpty() ? (root.isEmpty() ? "/" : root) : root + "/" + rel);
  }
}
