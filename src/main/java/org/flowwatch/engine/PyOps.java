package org.flowwatch.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.Map;

/** Python's meaning of the operators and conversions expressions use, over JSON values. */
final class PyOps {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  /** Makes the failure for a message (the evaluator adds which expression). */
  interface Failure {
    StateFailure of(String what);
  }

  private PyOps() {}

  /** An integer as Jackson reads one from a document (an int when it fits), so results compare equal. */
  static JsonNode integer(long n) {
    return n == (int) n ? F.numberNode((int) n) : F.numberNode(n);
  }

  static boolean truthy(JsonNode v) {
    if (v == null || v.isNull() || v.isMissingNode()) {
      return false;
    }
    if (v.isBoolean()) {
      return v.booleanValue();
    }
    if (v.isNumber()) {
      return v.doubleValue() != 0;
    }
    if (v.isTextual()) {
      return !v.asText().isEmpty();
    }
    return v.size() > 0;
  }

  static JsonNode arithmetic(String op, JsonNode a, JsonNode b, Failure fail) throws StateFailure {
    if (op.equals("+") && a.isTextual() && b.isTextual()) {
      return F.textNode(a.asText() + b.asText());
    }
    if (op.equals("+") && a.isArray() && b.isArray()) {
      ArrayNode out = F.arrayNode();
      out.addAll((ArrayNode) a);
      out.addAll((ArrayNode) b);
      return out;
    }
    if (!isNumber(a) || !isNumber(b)) {
      throw fail.of("'" + op + "' cannot combine " + Paths.kind(a) + " and " + Paths.kind(b)
          + (op.equals("+") && (a.isTextual() || b.isTextual()) ? " (use str() to turn a number into a string)" : ""));
    }
    boolean ints = isInt(a) && isInt(b);
    if (ints && !op.equals("/")) {
      long x = a.asLong();
      long y = b.asLong();
      if (y == 0 && (op.equals("//") || op.equals("%"))) {
        throw fail.of("division by zero");
      }
      return integer(switch (op) {
        case "+" -> Math.addExact(x, y);
        case "-" -> Math.subtractExact(x, y);
        case "*" -> Math.multiplyExact(x, y);
        case "//" -> Math.floorDiv(x, y);
        default -> Math.floorMod(x, y);
      });
    }
    double x = a.asDouble();
    double y = b.asDouble();
    if (y == 0 && (op.equals("/") || op.equals("//") || op.equals("%"))) {
      throw fail.of("division by zero");
    }
    return F.numberNode(switch (op) {
      case "+" -> x + y;
      case "-" -> x - y;
      case "*" -> x * y;
      case "/" -> x / y;
      case "//" -> Math.floor(x / y);
      default -> x - y * Math.floor(x / y);
    });
  }

  /** Booleans count as numbers in Python arithmetic (True + 1 == 2). */
  private static boolean isNumber(JsonNode v) {
    return v.isNumber() || v.isBoolean();
  }

  private static boolean isInt(JsonNode v) {
    return v.isIntegralNumber() || v.isBoolean();
  }

  static boolean compare(String op, JsonNode a, JsonNode b, Failure fail) throws StateFailure {
    switch (op) {
      case "==":
        return equal(a, b);
      case "!=":
        return !equal(a, b);
      case "in":
        return contains(b, a, fail);
      case "not in":
        return !contains(b, a, fail);
      default:
        break;
    }
    int c;
    if (isNumber(a) && isNumber(b)) {
      c = Double.compare(a.asDouble(), b.asDouble());
    } else if (a.isTextual() && b.isTextual()) {
      c = a.asText().compareTo(b.asText());
    } else {
      throw fail.of("'" + op + "' cannot order " + Paths.kind(a) + " and " + Paths.kind(b));
    }
    return switch (op) {
      case "<" -> c < 0;
      case ">" -> c > 0;
      case "<=" -> c <= 0;
      default -> c >= 0;
    };
  }

  static boolean equal(JsonNode a, JsonNode b) {
    if (isNumber(a) && isNumber(b)) {
      return a.asDouble() == b.asDouble();
    }
    if (a.isArray() && b.isArray()) {
      if (a.size() != b.size()) {
        return false;
      }
      for (int i = 0; i < a.size(); i++) {
        if (!equal(a.get(i), b.get(i))) {
          return false;
        }
      }
      return true;
    }
    return a.equals(b);
  }

  private static boolean contains(JsonNode container, JsonNode item, Failure fail) throws StateFailure {
    if (container.isTextual()) {
      if (!item.isTextual()) {
        throw fail.of("'in' on a string needs a string on its left, not " + Paths.kind(item));
      }
      return container.asText().contains(item.asText());
    }
    if (container.isArray()) {
      for (JsonNode e : container) {
        if (equal(e, item)) {
          return true;
        }
      }
      return false;
    }
    if (container.isObject()) {
      return item.isTextual() && container.has(item.asText());
    }
    throw fail.of("'in' needs a string, list or object on its right, not " + Paths.kind(container));
  }

  static String str(JsonNode v) {
    return v.isTextual() ? v.asText() : repr(v);
  }

  /** Python's repr of the value, as str() shows lists and objects. */
  static String repr(JsonNode v) {
    if (v == null || v.isNull() || v.isMissingNode()) {
      return "None";
    }
    if (v.isBoolean()) {
      return v.booleanValue() ? "True" : "False";
    }
    if (v.isTextual()) {
      return "'" + v.asText().replace("\\", "\\\\").replace("'", "\\'") + "'";
    }
    if (v.isIntegralNumber()) {
      return v.bigIntegerValue().toString();
    }
    if (v.isNumber()) {
      double d = v.doubleValue();
      return d == Math.rint(d) && !Double.isInfinite(d) && Math.abs(d) < 1e16 ? (long) d + ".0" : Double.toString(d);
    }
    StringBuilder s = new StringBuilder();
    if (v.isArray()) {
      s.append('[');
      for (int i = 0; i < v.size(); i++) {
        s.append(i == 0 ? "" : ", ").append(repr(v.get(i)));
      }
      return s.append(']').toString();
    }
    s.append('{');
    boolean first = true;
    for (Map.Entry<String, JsonNode> e : v.properties()) {
      s.append(first ? "" : ", ").append(repr(F.textNode(e.getKey()))).append(": ").append(repr(e.getValue()));
      first = false;
    }
    return s.append('}').toString();
  }

  static JsonNode toInt(JsonNode v, Failure fail) throws StateFailure {
    if (v.isBoolean()) {
      return integer(v.booleanValue() ? 1L : 0L);
    }
    if (v.isNumber()) {
      return integer((long) v.doubleValue());
    }
    if (v.isTextual()) {
      try {
        return integer(Long.parseLong(v.asText().strip().replace("_", "")));
      } catch (NumberFormatException e) {
        throw fail.of("int() cannot read " + Paths.kind(v) + " as an integer");
      }
    }
    throw fail.of("int() needs a number or a string, not " + Paths.kind(v));
  }

  static JsonNode toFloat(JsonNode v, Failure fail) throws StateFailure {
    if (isNumber(v)) {
      return F.numberNode(v.asDouble());
    }
    if (v.isTextual()) {
      try {
        return F.numberNode(Double.parseDouble(v.asText().strip()));
      } catch (NumberFormatException e) {
        throw fail.of("float() cannot read " + Paths.kind(v) + " as a number");
      }
    }
    throw fail.of("float() needs a number or a string, not " + Paths.kind(v));
  }
}
