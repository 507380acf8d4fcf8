package org.flowwatch.input;

import java.util.Comparator;
import java.util.Objects;

/**
 * One way a document breaks its schema.
 *
 * @param pointer RFC 6901 JSON pointer to the offending value ("" is the whole document,
 *     "/rawdata/source/id" a nested value); for a missing key, the object that lacks it
 * @param message what is wrong, in plain words (e.g. {@code required key [recursive_tx] not found})
 */
public record Violation(String pointer, String message) implements Comparable<Violation> {
  private static final Comparator<Violation> ORDER =
      Comparator.comparing(Violation::pointer).thenComparing(Violation::message);

  public Violation {
    Objects.requireNonNull(pointer, "pointer");
    Objects.requireNonNull(message, "message");
    if (!pointer.isEmpty() && !pointer.startsWith("/")) {
      throw new IllegalArgumentException("pointer must be empty or start with '/', got '" + pointer + "'");
    }
  }

  @Override
  public int compareTo(Violation other) {
    return ORDER.compare(this, other);
  }

  /** {@code /rawdata: required key [recursive_tx] not found}; the root is shown as {@code (root)}. */
  @Override
  public String toString() {
    return (pointer.isEmpty() ? "(root)" : pointer) + ": " + message;
  }
}
