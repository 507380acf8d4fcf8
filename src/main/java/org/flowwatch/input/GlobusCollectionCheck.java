package org.flowwatch.input;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Checks values whose schema says {@code "format": "globus-collection"}, which Globus puts on objects
 * ({@code {"id": <collection uuid>, "path": <string>}}) and everit, applying formats to strings only,
 * never checks.
 *
 * <p>The rule, kept simple on purpose: starting at the schema root, follow {@code properties} (and
 * single-schema {@code items}) wherever the document has the matching value; at each subschema with that
 * format, the value must be an object whose {@code id} is a UUID string and whose {@code path} is a
 * string. {@code $ref}, combinators and {@code additionalProperties} are not followed. Messages use
 * everit's wording, so when the schema itself already states the same requirement (FRIB's does) the
 * report holds it once: {@link ValidationReport} drops identical pointer and message pairs.
 */
final class GlobusCollectionCheck {
  private static final String FORMAT = "globus-collection";

  private GlobusCollectionCheck() {}

  static List<Violation> check(JsonNode schema, JsonNode document) {
    List<Violation> out = new ArrayList<>();
    walk(schema, document, "", out);
    return out;
  }

  private static void walk(JsonNode schema, JsonNode value, String pointer, List<Violation> out) {
    if (!schema.isObject() || value == null) {
      return;
    }
    if (FORMAT.equals(schema.path("format").asText(null))) {
      checkCollection(value, pointer, out);
    }
    JsonNode properties = schema.get("properties");
    if (properties != null && properties.isObject() && value.isObject()) {
      for (Map.Entry<String, JsonNode> property : properties.properties()) {
        String key = property.getKey();
        walk(property.getValue(), value.get(key), pointer + "/" + InputTemplate.escape(key), out);
      }
    }
    JsonNode items = schema.get("items");
    if (items != null && items.isObject() && value.isArray()) {
      for (int i = 0; i < value.size(); i++) {
        walk(items, value.get(i), pointer + "/" + i, out);
      }
    }
  }

  private static void checkCollection(JsonNode value, String pointer, List<Violation> out) {
    if (!value.isObject()) {
      out.add(new Violation(pointer, SchemaFormats.notACollection(jsonType(value))));
      return;
    }
    JsonNode id = value.get("id");
    if (id == null) {
      out.add(new Violation(pointer, "required key [id] not found"));
    } else if (!id.isTextual()) {
      out.add(new Violation(pointer + "/id", "expected type: string, found: " + jsonType(id)));
    } else if (!SchemaFormats.isUuid(id.textValue())) {
      out.add(new Violation(pointer + "/id", SchemaFormats.notAUuid(id.textValue())));
    }
    JsonNode path = value.get("path");
    if (path == null) {
      out.add(new Violation(pointer, "required key [path] not found"));
    } else if (!path.isTextual()) {
      out.add(new Violation(pointer + "/path", "expected type: string, found: " + jsonType(path)));
    }
  }

  /** JSON Schema's type names, as {@link EveritViolations} turns everit's Java class names into. */
  static String jsonType(JsonNode value) {
    if (value.isObject()) {
      return "object";
    } else if (value.isArray()) {
      return "array";
    } else if (value.isTextual()) {
      return "string";
    } else if (value.isIntegralNumber()) {
      return "integer";
    } else if (value.isNumber()) {
      return "number";
    } else if (value.isBoolean()) {
      return "boolean";
    }
    return "null";
  }
}
