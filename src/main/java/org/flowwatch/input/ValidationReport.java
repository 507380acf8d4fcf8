package org.flowwatch.input;

import java.util.List;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Every violation found in one document, sorted by pointer then message, without duplicates.
 *
 * @param violations the violations; empty when the document is valid
 */
public record ValidationReport(List<Violation> violations) {
  public static final ValidationReport VALID = new ValidationReport(List.of());

  public ValidationReport {
    violations = List.copyOf(new TreeSet<>(violations));
  }

  public boolean isValid() {
    return violations.isEmpty();
  }

  /** One line per violation ({@code /pointer: message}), no final newline; empty when valid. */
  public String format() {
    return violations.stream().map(Violation::toString).collect(Collectors.joining("\n"));
  }

  @Override
  public String toString() {
    return isValid() ? "valid" : violations.size() + " violation(s):\n" + format();
  }
}
