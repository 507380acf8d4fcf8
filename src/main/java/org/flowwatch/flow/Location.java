package org.flowwatch.flow;

/**
 * Where a value starts in a file.
 *
 * @param line 1-based line, or 0 when unknown
 * @param column 1-based column (characters; a tab counts one), or 0 when unknown
 */
public record Location(int line, int column) {
  public static final Location UNKNOWN = new Location(0, 0);

  public Location {
    if (line < 0 || column < 0) {
      throw new IllegalArgumentException("line and column must not be negative, got " + line + ":" + column);
    }
  }

  public boolean isKnown() {
    return line > 0;
  }

  /** {@code 12:5}, or empty when unknown. */
  @Override
  public String toString() {
    return isKnown() ? line + ":" + column : "";
  }
}
