package org.flowwatch.flow;

import java.util.Comparator;
import java.util.Objects;

/**
 * One thing the linter found.
 *
 * @param rule which check found it (its id and severity)
 * @param file the file it is in, as named to the linter
 * @param pointer RFC 6901 pointer to the value ("" is the whole document)
 * @param location line and column in the file, when the parser knew them
 * @param message what is wrong and what to do, in plain words
 */
public record Finding(LintRule rule, String file, String pointer, Location location, String message)
    implements Comparable<Finding> {

  private static final Comparator<Finding> ORDER = Comparator.comparing(Finding::file)
      .thenComparingInt(f -> f.location().isKnown() ? f.location().line() : Integer.MAX_VALUE)
      .thenComparingInt(f -> f.location().column())
      .thenComparing(Finding::pointer)
      .thenComparing(Finding::rule)
      .thenComparing(Finding::message);

  public Finding {
    Objects.requireNonNull(rule, "rule");
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(pointer, "pointer");
    location = location == null ? Location.UNKNOWN : location;
    Objects.requireNonNull(message, "message");
  }

  public String id() {
    return rule.name();
  }

  public Severity severity() {
    return rule.severity();
  }

  @Override
  public int compareTo(Finding other) {
    return ORDER.compare(this, other);
  }

  /**
   * {@code flows/x.json:12:9: error FW301 /States/Copy/ActionUrl: ...}, the form compilers use, so editors
   * can jump to the place.
   */
  @Override
  public String toString() {
    return file + (location.isKnown() ? ":" + location : "") + ": " + severity().label() + " " + id() + " "
        + (pointer.isEmpty() ? "(root)" : pointer) + ": " + message;
  }
}
