package org.flowwatch.flow;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.TreeSet;

/**
 * JSON equality as the service's documents need it: object key order never matters, and numbers are
 * equal when their values are ({@code 60}, {@code 60.0} and a long 60 are one number), whatever Java type
 * a parser picked.
 */
final class JsonComparison {

  private static final Comparator<JsonNode> VALUES = (a, b) -> {
    if (a.isNumber() && b.isNumber()) {
      return a.decimalValue().compareTo(b.decimalValue());
    }
    return a.equals(b) ? 0 : 1;
  };

  private JsonComparison() {}

  static boolean same(JsonNode a, JsonNode b) {
    if (a == null || b == null) {
      return a == b;
    }
    return a.equals(VALUES, b);
  }

  /**
   * The pointers where {@code after} differs from {@code before}: added, removed or changed values, as
   * deep as both sides are objects; a list is one value. Sorted.
   */
  static List<String> differences(JsonNode before, JsonNode after) {
    List<String> out = new ArrayList<>();
    collect("", before, after, out);
    return out;
  }

  private static void collect(String pointer, JsonNode before, JsonNode after, List<String> out) {
    if (same(before, after)) {
      return;
    }
    if (before == null || after == null || !before.isObject() || !after.isObject()) {
      out.add(pointer);
      return;
    }
    TreeSet<String> keys = new TreeSet<>();
    before.fieldNames().forEachRemaining(keys::add);
    after.fieldNames().forEachRemaining(keys::add);
    for (String key : keys) {
      collect(JsonDocument.pointer(pointer, key), before.get(key), after.get(key), out);
    }
  }

  /** The names of an object's fields, in order; empty for anything else. */
  static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    if (node != null && node.isObject()) {
      for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
        names.add(it.next());
      }
    }
    return names;
  }
}
