package org.flowwatch.input;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.everit.json.schema.ValidationException;

/**
 * Turns everit's tree of {@link ValidationException}s into flat {@link Violation}s with RFC 6901
 * pointers and plain messages.
 */
final class EveritViolations {
  // everit's messages name Java classes ("expected type: JSONObject, found: Integer"); users think in
  // JSON Schema types. Only messages without user data ('[...]') are rewritten.
  private static final Pattern JAVA_TYPE = Pattern.compile(
      "\\b(JSONObject|JSONArray|String|Integer|Long|BigInteger|BigDecimal|Double|Float|Number|Boolean|Null)\\b");
  // Combined schemas prefix their own message with a pointer relative to themselves ("#: ...").
  private static final Pattern INNER_POINTER = Pattern.compile("^#[^:\\s]*: ");

  private EveritViolations() {}

  /**
   * Every leaf violation under {@code e}. The alternatives of an {@code anyOf}/{@code oneOf} are not
   * separate errors (only one had to match), so such a failure is one violation that lists why each
   * alternative failed; {@code allOf} and plain nesting are flattened.
   */
  static List<Violation> of(ValidationException e, JsonNode document) {
    List<Violation> out = new ArrayList<>();
    collect(e, document, out);
    return out;
  }

  private static void collect(ValidationException e, JsonNode document, List<Violation> out) {
    List<ValidationException> causes = e.getCausingExceptions();
    String pointer = pointer(e.getPointerToViolation(), document);
    if (causes.isEmpty()) {
      out.add(new Violation(pointer, message(e.getErrorMessage())));
    } else if ("anyOf".equals(e.getKeyword()) || "oneOf".equals(e.getKeyword())) {
      List<String> reasons = new ArrayList<>();
      for (ValidationException cause : causes) {
        for (Violation v : of(cause, document)) {
          String where = v.pointer().startsWith(pointer) ? v.pointer().substring(pointer.length()) : v.pointer();
          reasons.add(where.isEmpty() ? v.message() : where + ": " + v.message());
        }
      }
      out.add(new Violation(pointer, message(e.getErrorMessage()) + " (" + String.join("; ", reasons) + ")"));
    } else {
      causes.forEach(cause -> collect(cause, document, out));
    }
  }

  static String message(String everitMessage) {
    String m = INNER_POINTER.matcher(everitMessage).replaceFirst("");
    if (m.startsWith("expected") && !m.contains("[")) {
      Matcher types = JAVA_TYPE.matcher(m);
      StringBuilder out = new StringBuilder();
      while (types.find()) {
        types.appendReplacement(out, jsonTypeOf(types.group(1)));
      }
      types.appendTail(out);
      m = out.toString();
    }
    return m;
  }

  private static String jsonTypeOf(String javaType) {
    return switch (javaType) {
      case "JSONObject" -> "object";
      case "JSONArray" -> "array";
      case "Integer", "Long", "BigInteger" -> "integer";
      case "BigDecimal", "Double", "Float", "Number" -> "number";
      default -> javaType.toLowerCase(java.util.Locale.ROOT);
    };
  }

  /**
   * An RFC 6901 pointer for everit's {@code #/a/b} form. everit escapes keys inconsistently: a key
   * {@code a/b} shows up as {@code a~1b} on its own violation but {@code a~01b} on violations inside it.
   * So each segment is unescaped until it names a key that really exists at that point of the document,
   * and the pointer is rebuilt from the real keys.
   */
  static String pointer(String everitPointer, JsonNode document) {
    String path = everitPointer.startsWith("#") ? everitPointer.substring(1) : everitPointer;
    if (path.isEmpty()) {
      return "";
    }
    StringBuilder out = new StringBuilder();
    JsonNode node = document;
    for (String segment : path.substring(1).split("/", -1)) {
      String key = realKey(segment, node);
      out.append('/').append(InputTemplate.escape(key));
      node = node == null ? null : node.isArray() ? node.get(parseIndex(key)) : node.get(key);
    }
    return out.toString();
  }

  private static String realKey(String segment, JsonNode node) {
    String candidate = segment;
    while (true) {
      if (node != null && node.isObject() && node.has(candidate)) {
        return candidate;
      }
      String next = candidate.replace("~1", "/").replace("~0", "~");
      if (next.equals(candidate)) {
        // Not found by any unescaping (an array index, or a pointer past the document): RFC once.
        return segment.replace("~1", "/").replace("~0", "~");
      }
      candidate = next;
    }
  }

  private static int parseIndex(String key) {
    try {
      return Integer.parseInt(key);
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
