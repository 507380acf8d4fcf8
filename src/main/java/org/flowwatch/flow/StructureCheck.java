package org.flowwatch.flow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.flowwatch.config.Suggestions;

/**
 * The shape of a definition: StartAt, each state's Type, fields and transitions, reachability, an end, and
 * loops that nothing can break (FW101–FW114; Choice rules are checked by {@link ChoiceRuleCheck}).
 */
final class StructureCheck {

  private static final Set<String> TOP_LEVEL = Set.of("Comment", "StartAt", "States");
  private static final Map<String, Set<String>> FIELDS = Map.of(
      "Action", Set.of("Type", "Comment", "ActionUrl", "ActionScope", "Parameters", "InputPath", "ResultPath",
          "WaitTime", "ExceptionOnActionFailure", "RunAs", "Catch", "Next", "End"),
      "Pass", Set.of("Type", "Comment", "Parameters", "InputPath", "Result", "ResultPath", "Next", "End"),
      "ExpressionEval", Set.of("Type", "Comment", "Parameters", "ResultPath", "Next", "End"),
      "Choice", Set.of("Type", "Comment", "Choices", "Default"),
      "Wait", Set.of("Type", "Comment", "Seconds", "Timestamp", "SecondsPath", "TimestampPath", "Next", "End"),
      // The JSONPath form of Error and Cause is not documented precisely; accept the likely spellings.
      "Fail", Set.of("Type", "Comment", "Error", "Cause", "Error.$", "Cause.$", "ErrorPath", "CausePath"));
  private static final List<String> WAIT_FIELDS = List.of("Seconds", "Timestamp", "SecondsPath", "TimestampPath");
  private static final long MAX_WAIT_SECONDS = 31_536_000L;

  private final FlowDefinition definition;
  private final Findings out;

  private StructureCheck(FlowDefinition definition, Findings out) {
    this.definition = definition;
    this.out = out;
  }

  static void run(FlowDefinition definition, Findings out) {
    new StructureCheck(definition, out).run();
  }

  private void run() {
    JsonNode root = definition.tree();
    if (!root.isObject()) {
      out.add(LintRule.FW102, "", "a flow definition must be a JSON object with StartAt and States, but this is "
          + kind(root));
      return;
    }
    root.fieldNames().forEachRemaining(name -> {
      if (!TOP_LEVEL.contains(name)) {
        out.add(LintRule.FW112, "/" + name, "'" + name + "' is not a top-level field of a flow definition"
            + hint(name, TOP_LEVEL) + "; the known ones are Comment, StartAt and States");
      }
    });
    JsonNode states = root.get("States");
    if (states == null || !states.isObject() || states.isEmpty()) {
      out.add(LintRule.FW102, states == null ? "" : "/States", states == null
          ? "the definition has no States; add \"States\": {\"Name\": {\"Type\": ...}}"
          : "States must be an object holding at least one state, but it is " + kind(states));
    }
    checkStartAt(root.get("StartAt"));
    if (states != null && states.isObject()) {
      states.properties().forEach(e -> {
        if (!e.getValue().isObject()) {
          out.add(LintRule.FW102, FlowDefinition.pointerOf(e.getKey()),
              "state '" + e.getKey() + "' must be an object, but it is " + kind(e.getValue()));
        }
      });
    }
    definition.states().forEach(this::checkState);
    if (!definition.states().isEmpty()) {
      checkEnds();
      checkGraph();
    }
  }

  private void checkStartAt(JsonNode start) {
    if (start == null) {
      out.add(LintRule.FW101, "", "the definition has no StartAt; set it to the name of the first state");
    } else if (!start.isTextual()) {
      out.add(LintRule.FW101, "/StartAt", "StartAt must be the name of a state (a string), but it is " + kind(start));
    } else if (!definition.states().containsKey(start.asText())) {
      out.add(LintRule.FW101, "/StartAt", "StartAt names '" + start.asText() + "', which is not a state"
          + hint(start.asText(), definition.states().keySet()));
    }
  }

  private void checkState(String name, ObjectNode state) {
    String at = FlowDefinition.pointerOf(name);
    JsonNode typeNode = state.get("Type");
    String type = FlowDefinition.typeOf(state);
    if (typeNode == null) {
      out.add(LintRule.FW103, at, "state '" + name + "' has no Type; give it one of "
          + String.join(", ", sortedTypes()));
      return;
    }
    if (type == null || !FlowDefinition.TYPES.contains(type)) {
      String shown = type == null ? typeNode.toString() : "'" + type + "'";
      out.add(LintRule.FW103, at + "/Type", "state '" + name + "' has Type " + shown + ", which Globus Flows does"
          + " not know" + typeHint(type) + "; use one of " + String.join(", ", sortedTypes()));
      return;
    }
    Set<String> known = FIELDS.get(type);
    state.fieldNames().forEachRemaining(field -> {
      if (field.equals("OutputPath")) {
        out.add(LintRule.FW113, at + "/OutputPath", "state '" + name + "' sets OutputPath, which Globus Flows"
            + " rejects; pick what to keep with ResultPath (and Parameters in the next state) instead");
      } else if (!known.contains(field)) {
        out.add(LintRule.FW112, JsonDocument.pointer(at, field), "'" + field + "' is not a field of " + type
            + " states" + hint(field, known) + "; Globus Flows may reject it");
      }
    });
    checkFieldTypes(name, type, state, at);
    checkRequired(name, type, state, at);
    checkTransitions(name, type, state, at);
    checkTargets(name, state, at);
    if (type.equals("Choice")) {
      ChoiceRuleCheck.run(name, state, at, out);
    }
    if (state.get("Catch") != null && state.get("Catch").isArray()) {
      checkCatches(name, state.get("Catch"), at + "/Catch");
    }
  }

  private void checkFieldTypes(String name, String type, ObjectNode state, String at) {
    expect(state, at, "Next", JsonNode::isTextual, "the name of a state (a string)");
    expect(state, at, "Default", JsonNode::isTextual, "the name of a state (a string)");
    expect(state, at, "End", JsonNode::isBoolean, "true or false");
    expect(state, at, "Comment", JsonNode::isTextual, "a string");
    expect(state, at, "ActionUrl", JsonNode::isTextual, "a URL string");
    expect(state, at, "Parameters", JsonNode::isObject, "an object");
    expect(state, at, "InputPath", JsonNode::isTextual, "a JSONPath string");
    expect(state, at, "ResultPath", n -> n.isTextual() || n.isNull(), "a JSONPath string");
    expect(state, at, "WaitTime", n -> n.isIntegralNumber() && n.asLong() >= 1, "a whole number of seconds (1 or more)");
    expect(state, at, "ExceptionOnActionFailure", JsonNode::isBoolean, "true or false");
    expect(state, at, "RunAs", JsonNode::isTextual, "a string (User, Flow or a role name)");
    expect(state, at, "Catch", n -> n.isArray() && !n.isEmpty(), "a non-empty list of {ErrorEquals, Next} objects");
    expect(state, at, "Choices", n -> n.isArray() && !n.isEmpty(), "a non-empty list of rules");
    expect(state, at, "Seconds", n -> n.isIntegralNumber() && n.asLong() >= 0 && n.asLong() <= MAX_WAIT_SECONDS,
        "a whole number of seconds from 0 to " + MAX_WAIT_SECONDS);
    expect(state, at, "Timestamp", JsonNode::isTextual, "an RFC 3339 date-time string");
    expect(state, at, "Error", JsonNode::isTextual, "a string");
    expect(state, at, "Cause", JsonNode::isTextual, "a string");
    if (state.has("Parameters") && state.has("InputPath")) {
      out.add(LintRule.FW105, at + "/InputPath", "state '" + name + "' sets both Parameters and InputPath;"
          + " keep one (Parameters builds the input, InputPath picks it from the run state)");
    }
    if (type.equals("Wait")) {
      List<String> set = WAIT_FIELDS.stream().filter(state::has).toList();
      if (set.size() > 1) {
        out.add(LintRule.FW105, JsonDocument.pointer(at, set.get(1)), "Wait state '" + name + "' sets "
            + String.join(" and ", set) + "; set exactly one of " + String.join(", ", WAIT_FIELDS));
      }
    }
  }

  private void expect(ObjectNode state, String at, String field, java.util.function.Predicate<JsonNode> ok,
      String expected) {
    JsonNode value = state.get(field);
    if (value != null && !ok.test(value)) {
      out.add(LintRule.FW105, JsonDocument.pointer(at, field),
          field + " must be " + expected + ", but it is " + kind(value));
    }
  }

  private void checkRequired(String name, String type, ObjectNode state, String at) {
    switch (type) {
      case "Action":
        require(name, state, at, "ActionUrl", "the action provider's URL");
        if (!state.has("Parameters") && !state.has("InputPath")) {
          out.add(LintRule.FW104, at, "Action state '" + name + "' has neither Parameters nor InputPath; add"
              + " Parameters with the body the action provider expects");
        }
        break;
      case "ExpressionEval":
        require(name, state, at, "Parameters", "the values to compute");
        require(name, state, at, "ResultPath", "where to store the computed values");
        break;
      case "Choice":
        require(name, state, at, "Choices", "the rules that pick the next state");
        break;
      case "Wait":
        if (WAIT_FIELDS.stream().noneMatch(state::has)) {
          out.add(LintRule.FW104, at, "Wait state '" + name + "' says nothing about how long to wait; set one of "
              + String.join(", ", WAIT_FIELDS));
        }
        break;
      default:
        break;
    }
  }

  private void require(String name, ObjectNode state, String at, String field, String what) {
    if (!state.has(field)) {
      out.add(LintRule.FW104, at, FlowDefinition.typeOf(state) + " state '" + name + "' has no " + field
          + " (" + what + ")");
    }
  }

  private void checkTransitions(String name, String type, ObjectNode state, String at) {
    boolean hasNext = state.has("Next");
    boolean ends = state.has("End") && state.get("End").asBoolean(false);
    if (type.equals("Choice") || type.equals("Fail")) {
      for (String field : List.of("Next", "End")) {
        if (state.has(field)) {
          out.add(LintRule.FW110, JsonDocument.pointer(at, field), type + " state '" + name + "' must not have "
              + field + (type.equals("Choice") ? ": its Choices and Default pick the next state"
                  : ": a Fail state always ends the run"));
        }
      }
      return;
    }
    if (hasNext && ends) {
      out.add(LintRule.FW110, at + "/End", "state '" + name + "' has both Next and End: true; keep Next to go on,"
          + " or End to finish the flow here");
    } else if (!hasNext && !ends) {
      out.add(LintRule.FW109, at, "state '" + name + "' has neither Next nor End: true; name the state that"
          + " follows it, or end the flow here");
    }
  }

  private void checkTargets(String name, ObjectNode state, String at) {
    target(name, state.get("Next"), at + "/Next", "Next");
    target(name, state.get("Default"), at + "/Default", "Default");
    JsonNode choices = state.get("Choices");
    if (choices != null && choices.isArray()) {
      for (int i = 0; i < choices.size(); i++) {
        target(name, choices.get(i).get("Next"), at + "/Choices/" + i + "/Next", "Choice rule " + i + "'s Next");
      }
    }
  }

  private void target(String name, JsonNode next, String pointer, String what) {
    if (next != null && next.isTextual() && !definition.states().containsKey(next.asText())) {
      out.add(LintRule.FW106, pointer, what + " of state '" + name + "' names '" + next.asText()
          + "', which is not a state" + hint(next.asText(), definition.states().keySet()));
    }
  }

  private void checkCatches(String name, JsonNode catches, String at) {
    for (int i = 0; i < catches.size(); i++) {
      JsonNode c = catches.get(i);
      String here = at + "/" + i;
      if (!c.isObject()) {
        out.add(LintRule.FW105, here, "each Catch entry must be an object {ErrorEquals, Next}, but entry " + i
            + " is " + kind(c));
        continue;
      }
      JsonNode errors = c.get("ErrorEquals");
      if (errors == null) {
        out.add(LintRule.FW104, here, "Catch entry " + i + " of state '" + name + "' has no ErrorEquals; list the"
            + " errors it handles, e.g. [\"ActionFailedException\", \"ActionTimeout\"]");
      } else if (!errors.isArray() || errors.isEmpty() || !allText(errors)) {
        out.add(LintRule.FW105, here + "/ErrorEquals", "ErrorEquals must be a non-empty list of error names");
      }
      if (!c.has("Next")) {
        out.add(LintRule.FW104, here, "Catch entry " + i + " of state '" + name + "' has no Next; name the state"
            + " that handles the error");
      } else {
        target(name, c.get("Next"), here + "/Next", "Catch entry " + i + "'s Next");
      }
    }
  }

  private void checkEnds() {
    boolean ends = definition.states().values().stream().anyMatch(s -> "Fail".equals(FlowDefinition.typeOf(s))
        || (s.has("End") && s.get("End").asBoolean(false)));
    if (!ends) {
      out.add(LintRule.FW108, "/States", "no state ends the flow: give the last state \"End\": true (or add a"
          + " Fail state), or every run goes on until it fails");
    }
  }

  private void checkGraph() {
    StateGraph graph = StateGraph.of(definition);
    definition.startAt().filter(definition.states()::containsKey).ifPresent(start -> {
      Set<String> reachable = graph.reachableFrom(List.of(start));
      definition.states().keySet().stream().filter(s -> !reachable.contains(s)).forEach(s ->
          out.add(LintRule.FW107, FlowDefinition.pointerOf(s), "state '" + s + "' cannot be reached from StartAt ('"
              + start + "'): no Next, Default, Choice or Catch leads to it"));
    });
    for (List<String> loop : graph.loops()) {
      boolean breakable = loop.stream().map(definition.states()::get).map(FlowDefinition::typeOf)
          .anyMatch(t -> "Wait".equals(t) || "Choice".equals(t));
      if (!breakable) {
        String which = loop.size() == 1 ? "state '" + loop.get(0) + "' leads back to itself"
            : "states " + String.join(", ", loop) + " lead back to each other";
        out.add(LintRule.FW111, FlowDefinition.pointerOf(loop.get(0)), which + " with no Wait or Choice state in"
            + " the loop: nothing decides when to leave it, so a run can go round forever");
      }
    }
  }

  private static boolean allText(JsonNode list) {
    for (JsonNode n : list) {
      if (!n.isTextual()) {
        return false;
      }
    }
    return true;
  }

  private static List<String> sortedTypes() {
    return FlowDefinition.TYPES.stream().sorted().toList();
  }

  private static String typeHint(String type) {
    if (type == null) {
      return "";
    }
    if (type.equals("Task")) {
      return " (ASL's Task is Action in Globus Flows)";
    }
    if (Set.of("Parallel", "Map", "Succeed").contains(type)) {
      return " (Globus Flows has no " + type + " state)";
    }
    return hint(type, FlowDefinition.TYPES);
  }

  /** " (did you mean 'X'?)" when a close name exists; otherwise empty. */
  static String hint(String name, java.util.Collection<String> candidates) {
    return Suggestions.didYouMean(name, new LinkedHashSet<>(candidates).stream().sorted().toList());
  }

  /** "a string", "an object", "the number 3" — for messages about what a value is. */
  static String kind(JsonNode node) {
    if (node.isObject()) {
      return "an object";
    }
    if (node.isArray()) {
      return node.isEmpty() ? "an empty list" : "a list";
    }
    if (node.isTextual()) {
      return "the string " + node;
    }
    if (node.isNull()) {
      return "null";
    }
    return node.isBoolean() ? node.asText() : "the number " + node.asText();
  }
}
