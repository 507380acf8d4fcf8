package org.flowwatch.input;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Iterator;
import java.util.Map;

/**
 * Pretty JSON exactly as Python writes it with {@code json.dumps(doc, indent=2, ensure_ascii=False)}.
 *
 * <p>Byte-for-byte equality matters: the FRIB scripts and the Globus web app show documents in this
 * form, and users diff our {@code --dry-run} output against what the Python tools printed. So: two-space
 * indent, {@code "key": value}, one array element per line, {@code []} and {@code {}} when empty,
 * non-ASCII characters as they are, control characters as six-character escapes with lowercase hex, floats as
 * Python's {@code repr} (shortest round-trip digits, {@code 1e-05}, {@code 1e+16}, {@code NaN}). The text
 * has no final newline, like {@code json.dumps}; the caller adds one when printing.
 */
public final class JsonOutput {
  private static final String INDENT = "  ";

  private JsonOutput() {}

  /** The document as Python's {@code json.dumps(doc, indent=2, ensure_ascii=False)} prints it. */
  public static String pretty(JsonNode document) {
    StringBuilder out = new StringBuilder();
    write(document, 0, out);
    return out.toString();
  }

  private static void write(JsonNode node, int depth, StringBuilder out) {
    if (node.isObject()) {
      writeContainer(node.properties().iterator(), '{', '}', depth, out);
    } else if (node.isArray()) {
      writeContainer(node.elements(), '[', ']', depth, out);
    } else if (node.isTextual()) {
      quote(node.textValue(), out);
    } else if (node.isFloatingPointNumber()) {
      out.append(pythonFloat(node.doubleValue()));
    } else if (node.isNumber()) {
      out.append(node.bigIntegerValue());
    } else if (node.isBoolean()) {
      out.append(node.booleanValue());
    } else if (node.isNull()) {
      out.append("null");
    } else {
      throw new IllegalArgumentException("Cannot write a JSON " + node.getNodeType() + " node as JSON text");
    }
  }

  private static void writeContainer(Iterator<?> items, char open, char close, int depth, StringBuilder out) {
    out.append(open);
    if (!items.hasNext()) {
      out.append(close);
      return;
    }
    String inner = INDENT.repeat(depth + 1);
    boolean first = true;
    while (items.hasNext()) {
      out.append(first ? "\n" : ",\n").append(inner);
      first = false;
      Object item = items.next();
      if (item instanceof Map.Entry<?, ?> field) {
        quote((String) field.getKey(), out);
        out.append(": ");
        write((JsonNode) field.getValue(), depth + 1, out);
      } else {
        write((JsonNode) item, depth + 1, out);
      }
    }
    out.append('\n').append(INDENT.repeat(depth)).append(close);
  }

  /** Python's escaping with ensure_ascii=False: only '"', '\\' and characters below U+0020. */
  private static void quote(String s, StringBuilder out) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }

  /**
   * Python's {@code repr(float)}: the shortest decimal that reads back as the same double (the nearest
   * one when several are that short), in fixed notation when the decimal point falls within
   * 16 digits, else as {@code d.ddde+XX}. JDK 17's {@code Double.toString} is not always shortest
   * ({@code 4.9E-324} for Python's {@code 5e-324}), hence the search.
   */
  static String pythonFloat(double d) {
    if (Double.isNaN(d)) {
      return "NaN";
    }
    if (Double.isInfinite(d)) {
      return d > 0 ? "Infinity" : "-Infinity";
    }
    String sign = (d < 0 || 1 / d < 0) ? "-" : "";
    double abs = Math.abs(d);
    if (abs == 0) {
      return sign + "0.0";
    }
    BigDecimal exact = new BigDecimal(abs);
    BigDecimal shortest = exact;
    for (int digits = 1; digits <= 17; digits++) {
      BigDecimal candidate = exact.round(new MathContext(digits, RoundingMode.HALF_EVEN));
      if (candidate.doubleValue() == abs) {
        shortest = candidate;
        break;
      }
    }
    shortest = shortest.stripTrailingZeros();
    String digits = shortest.unscaledValue().toString();
    int point = digits.length() - shortest.scale(); // value = 0.<digits> x 10^point
    if (point > 16 || point < -3) {
      String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
      int exponent = point - 1;
      return sign + mantissa + "e" + (exponent < 0 ? "-" : "+") + String.format("%02d", Math.abs(exponent));
    }
    if (point <= 0) {
      return sign + "0." + "0".repeat(-point) + digits;
    }
    if (point >= digits.length()) {
      return sign + digits + "0".repeat(point - digits.length()) + ".0";
    }
    return sign + digits.substring(0, point) + "." + digits.substring(point);
  }
}
