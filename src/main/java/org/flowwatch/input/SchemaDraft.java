package org.flowwatch.input;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The draft of JSON Schema flowwatch validates, draft 7, and what a schema written for another draft
 * looks like: a {@code $schema} naming that draft, or keywords draft 7 does not know (which a draft-7
 * validator silently ignores, so {@code prefixItems} or {@code dependentRequired} would check nothing).
 */
public final class SchemaDraft {
  /** The {@code $schema} of draft 7, as the draft itself writes it. */
  public static final String DRAFT_7 = "http://json-schema.org/draft-07/schema#";

  private static final Pattern OLD_DRAFT = Pattern.compile("json-schema\\.org/draft-0?(\\d+)/schema");
  private static final Pattern NEW_DRAFT = Pattern.compile("json-schema\\.org/draft/(\\d{4}-\\d{2})/schema");

  private static final Set<String> KEYWORDS = Set.of("$schema", "$id", "$ref", "$comment", "title",
      "description", "default", "readOnly", "writeOnly", "examples", "multipleOf", "maximum", "exclusiveMaximum",
      "minimum", "exclusiveMinimum", "maxLength", "minLength", "pattern", "additionalItems", "items", "maxItems",
      "minItems", "uniqueItems", "contains", "maxProperties", "minProperties", "required", "additionalProperties",
      "definitions", "properties", "patternProperties", "dependencies", "propertyNames", "const", "enum", "type",
      "format", "contentMediaType", "contentEncoding", "if", "then", "else", "allOf", "anyOf", "oneOf", "not");
  /** Keywords whose value is one subschema. */
  private static final Set<String> ONE = Set.of("additionalItems", "additionalProperties", "contains",
      "propertyNames", "if", "then", "else", "not", "items");
  /** Keywords whose value is a list of subschemas. */
  private static final Set<String> LIST = Set.of("allOf", "anyOf", "oneOf", "items");
  /** Keywords whose value maps names to subschemas. */
  private static final Set<String> MAP = Set.of("properties", "patternProperties", "definitions", "dependencies");

  private SchemaDraft() {}

  /** The draft {@code $schema} names when it is not draft 7 ("2020-12", "draft 4", or the URI itself). */
  public static Optional<String> otherDraft(JsonNode schema) {
    JsonNode declared = schema.path("$schema");
    if (!declared.isTextual()) {
      return Optional.empty();
    }
    String uri = declared.asText();
    Matcher old = OLD_DRAFT.matcher(uri);
    if (old.find()) {
      return old.group(1).equals("7") ? Optional.empty() : Optional.of("draft " + old.group(1));
    }
    Matcher current = NEW_DRAFT.matcher(uri);
    return Optional.of(current.find() ? current.group(1) : uri);
  }

  /** JSON pointers of the keywords, in the schema and every subschema, that draft 7 does not know. */
  public static List<String> unknownKeywords(JsonNode schema) {
    List<String> found = new ArrayList<>();
    walk(schema, "", found);
    return found;
  }

  private static void walk(JsonNode schema, String pointer, List<String> found) {
    if (!schema.isObject()) {
      return;
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = schema.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String key = e.getKey();
      String at = pointer + "/" + escape(key);
      JsonNode value = e.getValue();
      if (!KEYWORDS.contains(key)) {
        found.add(at);
        continue;
      }
      if (ONE.contains(key) && value.isObject()) {
        walk(value, at, found);
      }
      if (LIST.contains(key) && value.isArray()) {
        for (int i = 0; i < value.size(); i++) {
          walk(value.get(i), at + "/" + i, found);
        }
      }
      if (MAP.contains(key) && value.isObject()) {
        for (Iterator<Map.Entry<String, JsonNode>> sub = value.fields(); sub.hasNext(); ) {
          Map.Entry<String, JsonNode> s = sub.next();
          walk(s.getValue(), at + "/" + escape(s.getKey()), found);
        }
      }
    }
  }

  private static String escape(String key) {
    return key.replace("~", "~0").replace("/", "~1");
  }
}
