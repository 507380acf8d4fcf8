package org.flowwatch.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The JSONPaths a running flow follows: {@code $}, {@code $.a.b}, {@code $['odd key']}, {@code $.a[0]}.
 * Only paths that name one value are followed; lint has already refused malformed ones, and the wildcard,
 * slice and filter forms it lets through are refused here by name, since Globus would select a list where
 * this engine cannot promise the same one.
 */
final class Paths {
  private Paths() {}

  /** One step: a name ({@code index < 0}) or a list index. */
  record Step(String name, int index) {
    @Override
    public String toString() {
      return name != null ? "." + name : "[" + index + "]";
    }
  }

  static List<Step> parse(String path) throws StateFailure {
    if (path == null || !path.startsWith("$")) {
      throw StateFailure.runtime("'" + path + "' is not a JSONPath (it must start with '$')");
    }
    List<Step> steps = new ArrayList<>();
    int i = 1;
    while (i < path.length()) {
      char c = path.charAt(i);
      if (c == '.') {
        int end = i + 1;
        while (end < path.length() && path.charAt(end) != '.' && path.charAt(end) != '[') {
          end++;
        }
        String name = path.substring(i + 1, end);
        if (name.isEmpty() || name.equals("*")) {
          throw unsupported(path);
        }
        steps.add(new Step(name, -1));
        i = end;
      } else if (c == '[') {
        int close = path.indexOf(']', i);
        if (close < 0) {
          throw StateFailure.runtime("'" + path + "' opens '[' but never closes it");
        }
        String inside = path.substring(i + 1, close).trim();
        if (inside.length() >= 2 && (inside.charAt(0) == '\'' || inside.charAt(0) == '"')
            && inside.charAt(inside.length() - 1) == inside.charAt(0)) {
          steps.add(new Step(inside.substring(1, inside.length() - 1), -1));
        } else if (inside.matches("\\d{1,9}")) {
          steps.add(new Step(null, Integer.parseInt(inside)));
        } else {
          throw unsupported(path);
        }
        i = close + 1;
      } else {
        throw StateFailure.runtime("'" + path + "' has '" + c + "' at position " + (i + 1)
            + " where '.' or '[' must come");
      }
    }
    return steps;
  }

  private static StateFailure unsupported(String path) {
    return StateFailure.runtime("'" + path + "' selects several values (a wildcard, slice, filter or '..'); the"
        + " local engine follows only paths that name one value, like $.a.b or $.a[0]");
  }

  /** The value at {@code path}, or a missing node when some step is absent. */
  static JsonNode read(JsonNode root, String path) throws StateFailure {
    JsonNode at = root;
    for (Step step : parse(path)) {
      at = step.name() != null ? at.path(step.name()) : at.path(step.index());
      if (at.isMissingNode()) {
        return MissingNode.getInstance();
      }
    }
    return at;
  }

  /** The value at {@code path}; a path that selects nothing fails the run, naming the first absent step. */
  static JsonNode require(JsonNode root, String path, String what) throws StateFailure {
    JsonNode at = root;
    StringBuilder seen = new StringBuilder("$");
    for (Step step : parse(path)) {
      JsonNode next = step.name() != null ? at.path(step.name()) : at.path(step.index());
      if (next.isMissingNode()) {
        String has = at.isObject() ? "its keys are " + keys(at) : "it is " + kind(at);
        throw StateFailure.runtime(what + " '" + path + "' selects nothing: " + seen + " has no " + step
            + " (" + has + ")");
      }
      seen.append(step);
      at = next;
    }
    return at;
  }

  /**
   * The state after storing {@code value} at {@code path}: {@code $} replaces the whole state, other paths
   * set one key, creating the objects on the way (as Globus does). A null path discards the value.
   */
  static JsonNode write(JsonNode state, String path, JsonNode value) throws StateFailure {
    if (path == null) {
      return state;
    }
    List<Step> steps = parse(path);
    if (steps.isEmpty()) {
      return value.deepCopy();
    }
    JsonNode root = state != null && state.isContainerNode() ? state : JsonNodeFactory.instance.objectNode();
    JsonNode at = root;
    for (int i = 0; i < steps.size(); i++) {
      Step step = steps.get(i);
      boolean last = i == steps.size() - 1;
      if (step.name() != null) {
        if (!at.isObject()) {
          throw StateFailure.runtime("ResultPath '" + path + "' needs an object before " + step + " but finds "
              + kind(at));
        }
        ObjectNode object = (ObjectNode) at;
        if (last) {
          object.set(step.name(), value);
        } else {
          JsonNode child = object.get(step.name());
          if (child == null || !child.isContainerNode()) {
            child = object.putObject(step.name());
          }
          at = child;
        }
      } else {
        if (!at.isArray() || step.index() >= at.size()) {
          throw StateFailure.runtime("ResultPath '" + path + "' writes " + step + " but finds " + kind(at));
        }
        ArrayNode array = (ArrayNode) at;
        if (last) {
          array.set(step.index(), value);
        } else {
          at = array.get(step.index());
        }
      }
    }
    return root;
  }

  static String kind(JsonNode node) {
    if (node == null || node.isMissingNode()) {
      return "nothing";
    }
    if (node.isArray()) {
      return "a list of " + node.size();
    }
    return switch (node.getNodeType()) {
      case OBJECT -> "an object";
      case STRING -> "the string \"" + node.asText() + "\"";
      case NUMBER -> "the number " + node;
      case BOOLEAN -> "the boolean " + node;
      case NULL -> "null";
      default -> node.getNodeType().name().toLowerCase();
    };
  }

  private static String keys(JsonNode object) {
    List<String> names = new ArrayList<>();
    object.fieldNames().forEachRemaining(names::add);
    return names.isEmpty() ? "none" : String.join(", ", names);
  }
}
