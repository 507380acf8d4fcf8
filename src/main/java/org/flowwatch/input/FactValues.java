package org.flowwatch.input;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.IllegalFormatException;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** How fact values become JSON values, text, and formatted text. */
final class FactValues {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  // The conversion of the first Formatter spec, to let %.2f take an integer fact as Python's format does.
  private static final Pattern CONVERSION = Pattern.compile("%[-#+ 0,(<]*\\d*(?:\\.\\d+)?([a-zA-Z%])");

  private FactValues() {}

  /** The value as a JSON value of its own type: a number stays a number, a list becomes an array. */
  static JsonNode toJson(Object value) {
    if (value == null) {
      return JSON.nullNode();
    } else if (value instanceof JsonNode node) {
      return node.deepCopy();
    } else if (value instanceof String s) {
      return JSON.textNode(s);
    } else if (value instanceof Boolean b) {
      return JSON.booleanNode(b);
    } else if (value instanceof Integer || value instanceof Long || value instanceof Short) {
      // The node Jackson itself would read for this number, so rendered trees equal parsed ones.
      long n = ((Number) value).longValue();
      return n == (int) n ? JSON.numberNode((int) n) : JSON.numberNode(n);
    } else if (value instanceof BigInteger big) {
      return JSON.numberNode(big);
    } else if (value instanceof BigDecimal dec) {
      return JSON.numberNode(dec);
    } else if (value instanceof Double || value instanceof Float) {
      return JSON.numberNode(((Number) value).doubleValue());
    } else if (value instanceof List<?> list) {
      ArrayNode array = JSON.arrayNode();
      list.forEach(element -> array.add(toJson(element)));
      return array;
    }
    return JSON.textNode(value.toString());
  }

  /**
   * The value as text inside a longer string: numbers without a trailing ".0", booleans as JSON writes
   * them ({@code true}).
   *
   * @throws IllegalArgumentException when the value has no sensible text form (a list, object or null)
   */
  static String toText(Object value) {
    Object plain = plain(value);
    if (plain instanceof String s) {
      return s;
    } else if (plain instanceof Double d) {
      return d == Math.rint(d) && Math.abs(d) < 1e16 ? Long.toString(d.longValue()) : JsonOutput.pythonFloat(d);
    } else if (plain instanceof Float f) {
      return toText(f.doubleValue());
    } else if (plain instanceof BigDecimal dec) {
      return dec.stripTrailingZeros().toPlainString();
    } else if (plain instanceof Number || plain instanceof Boolean) {
      return plain.toString();
    }
    throw new IllegalArgumentException("it is " + typeName(value));
  }

  /**
   * Applies a Formatter spec to one value.
   *
   * @throws IllegalArgumentException naming the value's type when the format does not fit it
   */
  static String format(String format, Object value) {
    Object arg = plain(value);
    if (arg == null || arg instanceof List<?> || arg instanceof JsonNode) {
      throw new IllegalArgumentException("it is " + typeName(value) + ", and only a single value can be formatted");
    }
    Matcher m = CONVERSION.matcher(format);
    if (m.find() && "eEfgG".contains(m.group(1)) && (arg instanceof Long || arg instanceof BigInteger)) {
      arg = new BigDecimal(arg.toString());
    }
    try {
      return String.format(Locale.ROOT, format, arg);
    } catch (IllegalFormatException e) {
      throw new IllegalArgumentException("the value is " + typeName(value) + ", but the format " + format
          + " needs " + needs(m.find(0) ? m.group(1) : ""), e);
    }
  }

  /** What a Formatter conversion takes, in words. */
  private static String needs(String conversion) {
    return switch (conversion) {
      case "d", "o", "x", "X" -> "a whole number";
      case "e", "E", "f", "g", "G" -> "a number";
      default -> "another kind of value";
    };
  }

  /** JSON scalars as plain Java values; everything else unchanged. */
  private static Object plain(Object value) {
    if (value instanceof JsonNode node && node.isValueNode() && !node.isNull()) {
      if (node.isTextual()) {
        return node.textValue();
      } else if (node.isBoolean()) {
        return node.booleanValue();
      } else if (node.isIntegralNumber()) {
        return node.canConvertToLong() ? (Object) node.longValue() : node.bigIntegerValue();
      } else if (node.isNumber()) {
        return node.doubleValue();
      }
    }
    return value;
  }

  /** A short description of a value's type for messages, e.g. {@code a string ("run1217")}. */
  static String typeName(Object value) {
    Object plain = plain(value);
    if (plain == null || (plain instanceof JsonNode n && n.isNull())) {
      return "null";
    } else if (plain instanceof String s) {
      return "a string (\"" + s + "\")";
    } else if (plain instanceof Boolean b) {
      return "a boolean (" + b + ")";
    } else if (plain instanceof Long || plain instanceof Integer || plain instanceof BigInteger) {
      return "an integer (" + plain + ")";
    } else if (plain instanceof Number) {
      return "a number (" + plain + ")";
    } else if (plain instanceof List<?> list) {
      return "a list of " + list.size() + " values";
    } else if (plain instanceof JsonNode n) {
      return n.isArray() ? "a JSON array" : n.isObject() ? "a JSON object" : "a JSON " + n.getNodeType();
    }
    return "a " + plain.getClass().getSimpleName();
  }
}
