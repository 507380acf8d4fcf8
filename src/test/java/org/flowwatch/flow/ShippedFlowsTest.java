package org.flowwatch.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.flowwatch.input.InputSchema;
import org.flowwatch.input.ValidationReport;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The flows in {@code flows/} hold the rules the HPC issue sets for them, checked offline until
 * {@code flowwatch lint} exists: every state reachable and every target present, every Action explicit
 * about {@code ResultPath}, {@code WaitTime} and {@code ExceptionOnActionFailure} with a Catch that ends in
 * a Fail state naming the step, only current action URLs, and every {@code .$} path either a required
 * input value of the schema or a result an earlier state wrote.
 */
class ShippedFlowsTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Pattern JSON_PATH = Pattern.compile("\\$(\\.[A-Za-z_][A-Za-z0-9_]*)+");
  private static final Set<String> CURRENT_URLS = Set.of(
      "https://transfer.actions.globus.org/transfer", "https://transfer.actions.globus.org/mkdir",
      "https://transfer.actions.globus.org/stat", "https://compute.actions.globus.org/v3");

  static Stream<Arguments> flows() {
    return Stream.of(
        Arguments.of("flows/transfer_compute.json", "schemas/transfer_compute.json",
            "src/test/resources/realdata/aschester-e21062-Globus-Flows/reconstructed/example_input_run1217.json"),
        Arguments.of("flows/transfer.json", "schemas/transfer.json",
            "src/test/resources/flows/transfer_resorted_input.json"));
  }

  private static JsonNode read(String file) throws IOException {
    return MAPPER.readTree(Files.readString(Path.of(file)));
  }

  private static Map<String, JsonNode> states(JsonNode flow) {
    Map<String, JsonNode> states = new LinkedHashMap<>();
    flow.get("States").fields().forEachRemaining(e -> states.put(e.getKey(), e.getValue()));
    return states;
  }

  /** Next, Default, Choice and Catch targets of one state. */
  private static List<String> targets(JsonNode state) {
    List<String> out = new ArrayList<>();
    for (String key : new String[] {"Next", "Default"}) {
      if (state.has(key)) {
        out.add(state.get(key).asText());
      }
    }
    state.path("Choices").forEach(rule -> out.add(rule.get("Next").asText()));
    state.path("Catch").forEach(c -> out.add(c.get("Next").asText()));
    return out;
  }

  private static Set<String> reachableFrom(Map<String, JsonNode> states, String start) {
    Set<String> seen = new LinkedHashSet<>();
    Deque<String> todo = new ArrayDeque<>(List.of(start));
    while (!todo.isEmpty()) {
      String name = todo.pop();
      if (seen.add(name) && states.containsKey(name)) {
        todo.addAll(targets(states.get(name)));
      }
    }
    return seen;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("flows")
  void everyStateIsReachableAndEveryTargetExists(String flowFile, String schemaFile, String example)
      throws IOException {
    JsonNode flow = read(flowFile);
    Map<String, JsonNode> states = states(flow);
    String start = flow.get("StartAt").asText();
    assertTrue(states.containsKey(start), "StartAt names no state: " + start);
    states.forEach((name, state) -> targets(state).forEach(t ->
        assertTrue(states.containsKey(t), name + " goes to a state that does not exist: " + t)));
    Set<String> reachable = reachableFrom(states, start);
    assertEquals(states.keySet(), reachable, "unreachable states in " + flowFile);
    states.forEach((name, state) -> assertFalse(state.has("Next") && state.has("End"), name + " has Next and End"));
    assertTrue(states.values().stream().anyMatch(s -> s.path("End").asBoolean()), "no state ends the flow");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("flows")
  void everyActionIsExplicitAndItsCatchEndsInAFailNamingTheStep(String flowFile, String schemaFile, String example)
      throws IOException {
    Map<String, JsonNode> states = states(read(flowFile));
    states.forEach((name, state) -> {
      if (!"Action".equals(state.path("Type").asText())) {
        return;
      }
      assertTrue(CURRENT_URLS.contains(state.path("ActionUrl").asText()),
          name + " uses an action URL that is not a current one: " + state.path("ActionUrl"));
      assertTrue(state.path("ResultPath").isTextual(), name + " has no ResultPath");
      assertTrue(state.path("WaitTime").isInt(), name + " has no WaitTime");
      assertTrue(state.path("ExceptionOnActionFailure").isBoolean(), name + " leaves ExceptionOnActionFailure implicit");
      assertTrue(state.path("Catch").size() > 0, name + " has no Catch");
      Set<String> handled = new LinkedHashSet<>();
      for (JsonNode c : state.get("Catch")) {
        c.get("ErrorEquals").forEach(e -> handled.add(e.asText()));
        assertTrue(c.path("ResultPath").isTextual(), name + ": a Catch without ResultPath overwrites the run state");
        boolean namedFail = reachableFrom(states, c.get("Next").asText()).stream()
            .map(states::get)
            .anyMatch(s -> "Fail".equals(s.path("Type").asText()) && s.path("Cause").asText().contains(name));
        assertTrue(namedFail, name + ": its Catch reaches no Fail state whose Cause names it");
      }
      assertEquals(Set.of("ActionUnableToRun", "ActionFailedException", "ActionTimeout"), handled,
          name + " must catch all three action exceptions");
    });
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("flows")
  void actionsUseTheCurrentParameterNames(String flowFile, String schemaFile, String example) throws IOException {
    states(read(flowFile)).forEach((name, state) -> {
      String url = state.path("ActionUrl").asText();
      JsonNode p = state.path("Parameters");
      if (url.endsWith("/transfer")) {
        assertTrue(p.has("source_endpoint.$") && p.has("destination_endpoint.$") && p.has("DATA"), name);
      } else if (url.endsWith("/mkdir") || url.endsWith("/stat")) {
        assertTrue(p.has("endpoint_id.$") && p.has("path.$"), name);
      } else if (url.endsWith("/v3")) {
        assertTrue(p.has("endpoint_id.$") && p.path("tasks").get(0).has("function_id.$"), name);
      }
    });
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("flows")
  void everyPathReadsARequiredInputOrAnEarlierResult(String flowFile, String schemaFile, String example)
      throws IOException {
    JsonNode flow = read(flowFile);
    JsonNode schema = read(schemaFile);
    Map<String, JsonNode> states = states(flow);
    Set<String> results = new LinkedHashSet<>();
    states.values().forEach(s -> {
      if (s.has("ResultPath")) {
        results.add(s.get("ResultPath").asText());
      }
      s.path("Catch").forEach(c -> results.add(c.get("ResultPath").asText()));
    });
    for (String result : results) {
      assertTrue(JSON_PATH.matcher(result).matches(), "bad ResultPath " + result);
      assertFalse(schema.path("properties").has(result.substring(2).split("\\.")[0]),
          "ResultPath " + result + " overwrites an input value");
    }
    states.forEach((name, state) -> {
      List<String> paths = new ArrayList<>();
      collectPaths(state.path("Parameters"), paths);
      collectVariables(state.path("Choices"), paths);
      for (String path : paths) {
        assertTrue(JSON_PATH.matcher(path).matches(), name + ": not a plain JSONPath: " + path);
        String[] parts = path.substring(2).split("\\.");
        if (schema.path("properties").has(parts[0])) {
          assertRequiredInSchema(schema, parts, name + ": " + path);
        } else {
          String written = "$." + parts[0];
          assertTrue(results.contains(written), name + ": " + path + " is neither an input value nor a result");
          String writer = states.entrySet().stream()
              .filter(e -> written.equals(e.getValue().path("ResultPath").asText()))
              .map(Map.Entry::getKey).findFirst().orElseThrow();
          assertTrue(reachableFrom(states, writer).contains(name), name + " reads " + path + " before " + writer + " ran");
        }
      }
    });
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("flows")
  void theExampleInputMatchesTheSchema(String flowFile, String schemaFile, String example) throws IOException {
    ValidationReport report = InputSchema.load(Path.of(schemaFile)).validate(read(example));
    assertTrue(report.isValid(), report::toString);
  }

  private static void collectPaths(JsonNode node, List<String> out) {
    if (node.isObject()) {
      node.fields().forEachRemaining(e -> {
        if (e.getKey().endsWith(".$")) {
          out.add(e.getValue().asText());
        } else {
          collectPaths(e.getValue(), out);
        }
      });
    } else if (node.isArray()) {
      node.forEach(n -> collectPaths(n, out));
    }
  }

  private static void collectVariables(JsonNode rules, List<String> out) {
    rules.forEach(rule -> collectRule(rule, out));
  }

  private static void collectRule(JsonNode rule, List<String> out) {
    if (rule.has("Variable")) {
      out.add(rule.get("Variable").asText());
    }
    collectVariables(rule.path("And"), out);
    collectVariables(rule.path("Or"), out);
    if (rule.has("Not")) {
      collectRule(rule.get("Not"), out);
    }
  }

  /** Each step must be a declared property and required, so the value is there when the flow runs. */
  private static void assertRequiredInSchema(JsonNode schema, String[] parts, String what) {
    JsonNode at = schema;
    for (String part : parts) {
      assertTrue(at.path("properties").has(part), what + ": no property '" + part + "' in the schema");
      boolean required = false;
      for (JsonNode r : at.path("required")) {
        required |= r.asText().equals(part);
      }
      assertTrue(required, what + ": '" + part + "' is optional in the schema, so the flow could read nothing");
      at = at.path("properties").get(part);
    }
  }
}
