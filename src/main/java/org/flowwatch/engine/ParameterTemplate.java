package org.flowwatch.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;

/**
 * A state's {@code Parameters} filled in from its input: a key ending {@code .$} takes the value its
 * JSONPath selects, a key ending {@code .=} the value of its expression (both lose the suffix), any other
 * value is copied, and objects and lists are filled in all the way down. {@code __Private_Parameters} only
 * tells Globus what to hide from viewers, so it is not passed on to the action.
 */
final class ParameterTemplate {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  static final String PRIVATE = "__Private_Parameters";

  private ParameterTemplate() {}

  static JsonNode resolve(JsonNode template, JsonNode input) throws StateFailure {
    if (template.isArray()) {
      ArrayNode out = F.arrayNode();
      for (JsonNode item : template) {
        out.add(resolve(item, input));
      }
      return out;
    }
    if (!template.isObject()) {
      return template.deepCopy();
    }
    ObjectNode out = F.objectNode();
    for (Map.Entry<String, JsonNode> e : template.properties()) {
      String key = e.getKey();
      JsonNode value = e.getValue();
      if (key.equals(PRIVATE)) {
        continue;
      }
      if (key.endsWith(".$")) {
        if (!value.isTextual()) {
          throw StateFailure.runtime("parameter '" + key + "' must be a JSONPath string, not " + Paths.kind(value));
        }
        out.set(stem(key), Paths.require(input, value.asText(), "parameter '" + key + "'").deepCopy());
      } else if (key.endsWith(".=")) {
        if (!value.isTextual()) {
          throw StateFailure.runtime("parameter '" + key + "' must be an expression string, not " + Paths.kind(value));
        }
        out.set(stem(key), ExpressionEvaluator.evaluate(value.asText(), input).deepCopy());
      } else {
        out.set(key, resolve(value, input));
      }
    }
    return out;
  }

  /** Every {@code .=} expression in a template, for checking before the run starts. */
  static void expressions(JsonNode template, String where, List<String> problems) {
    if (template == null) {
      return;
    }
    if (template.isArray()) {
      for (JsonNode item : template) {
        expressions(item, where, problems);
      }
      return;
    }
    for (Map.Entry<String, JsonNode> e : template.properties()) {
      if (e.getKey().endsWith(".=") && e.getValue().isTextual()) {
        try {
          Expression.parse(e.getValue().asText());
        } catch (ExpressionException x) {
          problems.add(where + "/" + e.getKey() + ": " + x.getMessage());
        }
      } else {
        expressions(e.getValue(), where + "/" + e.getKey(), problems);
      }
    }
  }

  private static String stem(String key) {
    return key.substring(0, key.length() - 2);
  }
}
