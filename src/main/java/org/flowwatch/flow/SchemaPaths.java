package org.flowwatch.flow;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.flowwatch.flow.JsonPath.Any;
import org.flowwatch.flow.JsonPath.Index;
import org.flowwatch.flow.JsonPath.Key;
import org.flowwatch.flow.JsonPath.Segment;

/**
 * Follows a path's names through an input schema's {@code properties} and {@code items} to say whether
 * flow input can hold a value there. It answers "forbidden" only when it is sure: combinators
 * ({@code allOf}, {@code anyOf}, ...), pattern properties, wildcards and references outside the file
 * make the answer "open".
 */
final class SchemaPaths {

  enum Answer {
    /** The schema declares every step of the path. */
    DECLARED,
    /** The schema lets input hold something there, or cannot tell. */
    OPEN,
    /** The schema forbids a value there. */
    FORBIDDEN
  }

  /**
   * @param depth for FORBIDDEN, the index of the step the schema refuses
   * @param schemaPointer for FORBIDDEN, the schema object that refuses it
   * @param reason for FORBIDDEN, why, in words
   * @param known for FORBIDDEN by a closed object, the names it declares
   */
  record Result(Answer answer, int depth, String schemaPointer, String reason, Set<String> known) {
    static final Result DECLARED = new Result(Answer.DECLARED, -1, "", "", Set.of());
    static final Result OPEN = new Result(Answer.OPEN, -1, "", "", Set.of());
  }

  private static final List<String> COMBINATORS =
      List.of("allOf", "anyOf", "oneOf", "not", "if", "then", "else", "dependencies");
  private static final int MAX_REFS = 32;

  private final JsonNode root;

  SchemaPaths(JsonNode root) {
    this.root = root;
  }

  Result lookup(List<Segment> path) {
    JsonNode node = root;
    String pointer = "";
    for (int i = 0; i < path.size(); i++) {
      Resolved r = resolve(node, pointer);
      if (r == null) {
        return Result.OPEN;
      }
      node = r.node();
      pointer = r.pointer();
      if (node.isBoolean()) {
        return node.asBoolean() ? Result.OPEN
            : new Result(Answer.FORBIDDEN, i, pointer, "the schema allows no value there (false)", Set.of());
      }
      if (!node.isObject() || COMBINATORS.stream().anyMatch(node::has)) {
        return Result.OPEN;
      }
      Segment step = path.get(i);
      Set<String> types = types(node);
      if (step instanceof Key key) {
        if (types != null && !types.contains("object")) {
          return new Result(Answer.FORBIDDEN, i, pointer, "the schema says the value there is "
              + String.join(" or ", types) + ", not an object with keys", Set.of());
        }
        JsonNode properties = node.get("properties");
        if (properties != null && properties.has(key.name())) {
          node = properties.get(key.name());
          pointer = JsonDocument.pointer(pointer + "/properties", key.name());
          continue;
        }
        if (node.has("patternProperties")) {
          return Result.OPEN;
        }
        JsonNode additional = node.get("additionalProperties");
        if (additional != null && additional.isBoolean() && !additional.asBoolean()) {
          Set<String> known = new LinkedHashSet<>();
          if (properties != null) {
            properties.fieldNames().forEachRemaining(known::add);
          }
          return new Result(Answer.FORBIDDEN, i, pointer, "the schema sets additionalProperties: false there and"
              + " declares " + (known.isEmpty() ? "no properties" : String.join(", ", known)), known);
        }
        if (additional != null && additional.isObject()) {
          node = additional;
          pointer = pointer + "/additionalProperties";
          continue;
        }
        return Result.OPEN;
      }
      if (step instanceof Index index) {
        if (types != null && !types.contains("array")) {
          return new Result(Answer.FORBIDDEN, i, pointer, "the schema says the value there is "
              + String.join(" or ", types) + ", not a list", Set.of());
        }
        JsonNode items = node.get("items");
        if (items != null && items.isObject()) {
          node = items;
          pointer = pointer + "/items";
          continue;
        }
        if (items != null && items.isArray() && index.index() < items.size()) {
          node = items.get(index.index());
          pointer = pointer + "/items/" + index.index();
          continue;
        }
        return Result.OPEN;
      }
      if (step instanceof Any) {
        return Result.OPEN;
      }
    }
    return Result.DECLARED;
  }

  private record Resolved(JsonNode node, String pointer) {}

  /** Follows {@code $ref}s within the file; null for one that leaves it or goes nowhere. */
  private Resolved resolve(JsonNode node, String pointer) {
    JsonNode current = node;
    String at = pointer;
    for (int hops = 0; hops < MAX_REFS; hops++) {
      JsonNode ref = current == null ? null : current.get("$ref");
      if (ref == null || !current.isObject()) {
        return current == null ? null : new Resolved(current, at);
      }
      String target = ref.asText();
      if (!target.equals("#") && !target.startsWith("#/")) {
        return null;
      }
      at = target.substring(1);
      current = at.isEmpty() ? root : root.at(at);
      if (current.isMissingNode()) {
        return null;
      }
    }
    return null;
  }

  private static Set<String> types(JsonNode schema) {
    JsonNode type = schema.get("type");
    if (type == null) {
      return null;
    }
    Set<String> types = new LinkedHashSet<>();
    if (type.isTextual()) {
      types.add(type.asText());
    } else if (type.isArray()) {
      type.forEach(t -> types.add(t.asText()));
    } else {
      return null;
    }
    if (types.contains("integer")) {
      types.add("number");
    }
    return types;
  }
}
