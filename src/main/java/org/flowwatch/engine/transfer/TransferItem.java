package org.flowwatch.engine.transfer;

import java.util.Objects;

/**
 * One entry of a transfer's {@code DATA}.
 *
 * @param recursive true: a directory whose contents go inside the destination directory; false: one file
 *     copied to the destination path; null (left out): whichever the source turns out to be
 */
record TransferItem(CollectionPath source, CollectionPath destination, Boolean recursive) {
  TransferItem {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(destination, "destination");
  }
}
