package org.flowwatch.globus.transfer;

import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * What Transfer listed of one directory.
 *
 * @param collectionId the collection
 * @param path the path asked for
 * @param absolutePath the path on the collection's storage, when the service said
 * @param names the entries' names (at most as many as asked for)
 * @param total how many entries the directory has, when the service said; else the names' count
 */
public record DirectoryListing(UUID collectionId, String path, String absolutePath, List<String> names, int total) {
  public DirectoryListing {
    Objects.requireNonNull(collectionId, "collectionId");
    Objects.requireNonNull(path, "path");
    names = List.copyOf(names == null ? List.of() : names);
  }
}
