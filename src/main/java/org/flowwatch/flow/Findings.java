package org.flowwatch.flow;

import java.util.ArrayList;
import java.util.List;

/** Collects findings for one document, placing each at the line of the key or value it is about. */
final class Findings {
  private final JsonDocument document;
  private final List<Finding> found = new ArrayList<>();

  Findings(JsonDocument document) {
    this.document = document;
  }

  void add(LintRule rule, String pointer, String message) {
    found.add(new Finding(rule, document.origin(), pointer, document.keyLocationOf(pointer), message));
  }

  /** For findings whose place is known better than the pointer says (a syntax error, a repeated key). */
  void addAt(LintRule rule, String pointer, Location location, String message) {
    found.add(new Finding(rule, document.origin(), pointer, location, message));
  }

  List<Finding> all() {
    return List.copyOf(found);
  }
}
