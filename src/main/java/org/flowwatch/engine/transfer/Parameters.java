package org.flowwatch.engine.transfer;

import com.fasterxml.jackson.databind.JsonNode;
import org.flowwatch.engine.ActionUnableToRunException;

/**
 * An action's parameters, read with the names the current and the retired Transfer action providers give
 * them ({@code source_endpoint} and {@code source_endpoint_id}, {@code DATA} and {@code transfer_items}).
 * A missing or mistyped required parameter is the hosted provider's 400: {@code ActionUnableToRun}.
 */
final class Parameters {
  private final JsonNode node;
  private final String action;

  Parameters(JsonNode node, String action) throws ActionUnableToRunException {
    if (node == null || !node.isObject()) {
      throw new ActionUnableToRunException(action + ": Parameters must be an object, not "
          + (node == null ? "nothing" : node.getNodeType().name().toLowerCase()));
    }
    this.node = node;
    this.action = action;
  }

  /** The first of {@code names} that is present and not null, or null. */
  JsonNode get(String... names) {
    for (String name : names) {
      JsonNode value = node.get(name);
      if (value != null && !value.isNull()) {
        return value;
      }
    }
    return null;
  }

  String requiredText(String... names) throws ActionUnableToRunException {
    JsonNode value = get(names);
    if (value == null) {
      throw new ActionUnableToRunException(action + ": the parameter " + String.join(" (or ", names)
          + (names.length > 1 ? ")" : "") + " is missing");
    }
    if (!value.isTextual()) {
      throw new ActionUnableToRunException(action + ": " + names[0] + " must be a string, not " + value);
    }
    return value.asText();
  }

  boolean bool(String name, boolean otherwise) throws ActionUnableToRunException {
    JsonNode value = get(name);
    if (value == null) {
      return otherwise;
    }
    if (!value.isBoolean()) {
      throw new ActionUnableToRunException(action + ": " + name + " must be true or false, not " + value);
    }
    return value.asBoolean();
  }

  /** A boolean that may be left out: null then. */
  static Boolean optionalBool(JsonNode value, String where) throws ActionUnableToRunException {
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isBoolean()) {
      throw new ActionUnableToRunException(where + " must be true or false, not " + value);
    }
    return value.asBoolean();
  }

  String action() {
    return action;
  }
}
