package org.flowwatch.flow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.flowwatch.flow.JsonPath.Key;

/**
 * What each state reads from and writes to the run state (FW201–FW207): every JSONPath is parsed; a
 * read must find its value in the input schema or in the ResultPath of a state that can have run before;
 * writes must not destroy the input or the read-only context.
 */
final class DataFlowCheck {

  /** A JSONPath a state reads. */
  private record Read(String state, String pointer, JsonPath path) {}

  /**
   * A value a state puts into the run state.
   *
   * @param path where, or null when it replaces the whole run state
   * @param after the states that run next, from which on the value is there
   */
  private record Write(String state, String pointer, JsonPath path, List<String> after) {
    String key() {
      return path == null ? null : path.rootKey();
    }

    boolean replacesAll() {
      return path == null || path.segments().isEmpty();
    }
  }

  private static final String CONTEXT = "_context";

  private final FlowDefinition definition;
  private final SchemaPaths schema;
  private final Findings out;
  private final List<Read> reads = new ArrayList<>();
  private final List<Write> writes = new ArrayList<>();

  private DataFlowCheck(FlowDefinition definition, JsonNode inputSchema, Findings out) {
    this.definition = definition;
    this.schema = inputSchema == null || !inputSchema.isObject() ? null : new SchemaPaths(inputSchema);
    this.out = out;
  }

  /** @param inputSchema the flow's input schema, or null when there is none to check against */
  static void run(FlowDefinition definition, JsonNode inputSchema, Findings out) {
    DataFlowCheck check = new DataFlowCheck(definition, inputSchema, out);
    definition.states().forEach(check::collect);
    check.checkReads();
    check.checkWrites();
  }

  private void collect(String name, ObjectNode state) {
    String type = FlowDefinition.typeOf(state);
    if (type == null || !FlowDefinition.TYPES.contains(type)) {
      return;
    }
    String at = FlowDefinition.pointerOf(name);
    JsonNode parameters = state.get("Parameters");
    if (parameters != null) {
      parameterPaths(name, parameters, at + "/Parameters");
    }
    for (String field : List.of("InputPath", "SecondsPath", "TimestampPath", "ErrorPath", "CausePath", "Error.$",
        "Cause.$")) {
      JsonNode value = state.get(field);
      if (value != null && value.isTextual()) {
        read(name, JsonDocument.pointer(at, field), value.asText());
      }
    }
    if (type.equals("Choice") && state.get("Choices") != null && state.get("Choices").isArray()) {
      JsonNode rules = state.get("Choices");
      for (int i = 0; i < rules.size(); i++) {
        rulePaths(name, rules.get(i), at + "/Choices/" + i);
      }
    }
    List<String> next = state.get("Next") != null && state.get("Next").isTextual()
        ? List.of(state.get("Next").asText()) : List.of();
    JsonNode resultPath = state.get("ResultPath");
    if (resultPath != null && resultPath.isTextual()) {
      write(name, at + "/ResultPath", resultPath.asText(), next);
    } else if (resultPath == null && type.equals("Action")) {
      out.add(LintRule.FW205, at, "Action state '" + name + "' has no ResultPath, so its result replaces the whole"
          + " run state and later states lose the flow input; add \"ResultPath\": \"$." + name + "\"");
      writes.add(new Write(name, at, null, next));
    } else if (resultPath == null && type.equals("Pass") && (state.has("Parameters") || state.has("Result"))) {
      writes.add(new Write(name, at, null, next));
    }
    JsonNode catches = state.get("Catch");
    if (catches != null && catches.isArray()) {
      for (int i = 0; i < catches.size(); i++) {
        catchWrite(name, catches.get(i), at + "/Catch/" + i);
      }
    }
  }

  private void catchWrite(String name, JsonNode entry, String at) {
    if (!entry.isObject()) {
      return;
    }
    List<String> next = entry.get("Next") != null && entry.get("Next").isTextual()
        ? List.of(entry.get("Next").asText()) : List.of();
    JsonNode resultPath = entry.get("ResultPath");
    if (resultPath == null) {
      out.add(LintRule.FW206, at, "this Catch of state '" + name + "' has no ResultPath, so the error replaces the"
          + " whole run state; add \"ResultPath\": \"$." + name + "Error\"");
      writes.add(new Write(name, at, null, next));
    } else if (resultPath.isTextual()) {
      write(name, at + "/ResultPath", resultPath.asText(), next);
    }
  }

  /** Every {@code "name.$": "$.path"} in a Parameters tree, at any depth, arrays included. */
  private void parameterPaths(String state, JsonNode node, String at) {
    if (node.isObject()) {
      node.properties().forEach(e -> {
        String here = JsonDocument.pointer(at, e.getKey());
        if (e.getKey().endsWith(".$") && !e.getKey().equals(".$")) {
          if (e.getValue().isTextual()) {
            read(state, here, e.getValue().asText());
          } else {
            out.add(LintRule.FW201, here, "'" + e.getKey() + "' ends in '.$', so its value must be a JSONPath"
                + " string, but it is " + StructureCheck.kind(e.getValue()) + "; drop the '.$' for a constant");
          }
        } else {
          parameterPaths(state, e.getValue(), here);
        }
      });
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        parameterPaths(state, node.get(i), at + "/" + i);
      }
    }
  }

  private void rulePaths(String state, JsonNode rule, String at) {
    if (!rule.isObject()) {
      return;
    }
    rule.properties().forEach(e -> {
      String field = e.getKey();
      String here = JsonDocument.pointer(at, field);
      if ((field.equals("Variable") || ChoiceRuleCheck.takesPath(field)) && e.getValue().isTextual()) {
        read(state, here, e.getValue().asText());
      } else if (field.equals("And") || field.equals("Or")) {
        for (int i = 0; i < e.getValue().size(); i++) {
          rulePaths(state, e.getValue().get(i), here + "/" + i);
        }
      } else if (field.equals("Not")) {
        rulePaths(state, e.getValue(), here);
      }
    });
  }

  private void read(String state, String pointer, String text) {
    JsonPath path = parse(pointer, text);
    if (path != null) {
      reads.add(new Read(state, pointer, path));
    }
  }

  private void write(String state, String pointer, String text, List<String> after) {
    JsonPath path = parse(pointer, text);
    if (path == null) {
      return;
    }
    if (!path.isPlain()) {
      out.add(LintRule.FW201, pointer, "ResultPath '" + text + "' must name one place, like $.name or $.a.b;"
          + " wildcards, slices, filters and '..' select several");
      return;
    }
    if (CONTEXT.equals(path.rootKey())) {
      out.add(LintRule.FW207, pointer, "ResultPath '" + text + "' writes into $._context, which the service fills"
          + " in and keeps read-only; store the result elsewhere, e.g. $." + state);
      return;
    }
    writes.add(new Write(state, pointer, path, after));
  }

  private JsonPath parse(String pointer, String text) {
    try {
      return JsonPath.parse(text);
    } catch (JsonPath.SyntaxException e) {
      out.add(LintRule.FW201, pointer, "not a valid JSONPath: " + e.getMessage());
      return null;
    }
  }

  private void checkReads() {
    StateGraph graph = StateGraph.of(definition);
    Map<Write, Set<String>> visible = new HashMap<>();
    Function<Write, Set<String>> after = w -> visible.computeIfAbsent(w, x -> graph.reachableFrom(x.after()));
    // A state nothing leads to (FW107) runs after nothing, so its reads would all look premature.
    Set<String> live = definition.startAt().filter(definition.states()::containsKey)
        .map(s -> graph.reachableFrom(List.of(s))).orElse(definition.states().keySet());
    for (Read r : reads) {
      String key = r.path().rootKey();
      if (key == null || key.equals(CONTEXT)) {
        continue;
      }
      boolean written = writes.stream().filter(w -> w.replacesAll() || key.equals(w.key()))
          .anyMatch(w -> after.apply(w).contains(r.state()));
      if (written) {
        continue;
      }
      SchemaPaths.Result top = schema == null ? SchemaPaths.Result.OPEN : schema.lookup(List.of(new Key(key)));
      if (top.answer() == SchemaPaths.Answer.DECLARED) {
        SchemaPaths.Result deep = schema.lookup(r.path().segments());
        if (deep.answer() == SchemaPaths.Answer.FORBIDDEN) {
          notInSchema(r, deep);
        }
        continue;
      }
      Set<String> writers = new LinkedHashSet<>();
      writes.stream().filter(w -> key.equals(w.key())).forEach(w -> writers.add(w.state()));
      if (!writers.isEmpty() && live.contains(r.state())) {
        out.add(LintRule.FW203, r.pointer(), "state '" + r.state() + "' reads " + r.path() + ", which only the"
            + " ResultPath of " + quoted(writers) + " provides, but " + (writers.size() == 1 ? "that state" : "none of"
            + " them") + " can have run before '" + r.state() + "'; reorder the states or read a value the input"
            + " provides");
      } else if (writers.isEmpty() && top.answer() == SchemaPaths.Answer.FORBIDDEN) {
        notInSchema(r, top);
      }
    }
  }

  private void notInSchema(Read r, SchemaPaths.Result refusal) {
    List<JsonPath.Segment> segments = r.path().segments();
    String step = segments.get(refusal.depth()) instanceof Key k ? k.name() : segments.get(refusal.depth()).toString();
    out.add(LintRule.FW202, r.pointer(), "state '" + r.state() + "' reads " + r.path() + ", but no state writes '"
        + r.path().rootKey() + "' and the input schema cannot hold '" + step + "' there: " + refusal.reason()
        + " (schema " + (refusal.schemaPointer().isEmpty() ? "root" : refusal.schemaPointer()) + ")"
        + StructureCheck.hint(step, refusal.known()));
  }

  private void checkWrites() {
    if (schema == null) {
      return;
    }
    for (Write w : writes) {
      if (w.replacesAll() || w.path().rootKey() == null) {
        continue;
      }
      if (schema.lookup(w.path().segments()).answer() == SchemaPaths.Answer.DECLARED) {
        out.add(LintRule.FW204, w.pointer(), "state '" + w.state() + "' writes its result to " + w.path()
            + ", which the input schema declares as flow input, so the input value is lost from then on; pick"
            + " a name of its own, e.g. $." + w.state());
      }
    }
  }

  private static String quoted(Set<String> names) {
    List<String> q = names.stream().map(n -> "'" + n + "'").toList();
    return String.join(", ", q);
  }
}
