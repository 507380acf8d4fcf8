package org.flowwatch.engine;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.flowwatch.flow.FlowLinter;
import org.flowwatch.flow.JsonDocument;
import org.flowwatch.flow.LintReport;

/**
 * Runs a Globus Flows definition on this machine, state by state, against local action providers.
 *
 * <p>Before anything runs, the definition is refused ({@link DefinitionRefusedException}) when
 * {@code flowwatch lint} finds an error in it (what the service would refuse), when an Action names an
 * {@code ActionUrl} no given provider serves, or when a {@code .=} expression is outside the subset
 * {@link ExpressionEvaluator} knows. A run then goes from {@code StartAt} (or a {@link Checkpoint}) until
 * a state ends it: {@code End: true} gives SUCCEEDED with the final flow state, a Fail state or an error
 * no {@code Catch} takes gives FAILED with the error, its cause and the state's name.
 *
 * <p>States: Pass ({@code Result}, {@code Parameters}, {@code InputPath}, {@code ResultPath}), Choice (see
 * {@link Choices}), Wait ({@code Seconds}, {@code SecondsPath}, {@code Timestamp}, {@code TimestampPath}, on
 * the {@link Timekeeper}), Fail ({@code Error}, {@code Cause}), Action ({@code ActionUrl},
 * {@code Parameters}, {@code InputPath}, {@code ResultPath}, {@code WaitTime} default 300 s,
 * {@code ExceptionOnActionFailure} default false, {@code Catch}; see {@link ActionRunner}) and
 * ExpressionEval ({@code Parameters}, {@code ResultPath}).
 *
 * <p>Catch: the first catcher whose {@code ErrorEquals} names the error, or {@code States.ALL}, sends the
 * run to its {@code Next} and stores {@code {"Error": ..., "Cause": ...}} at its own {@code ResultPath}
 * ({@code $} when absent, as on the service). Errors the engine raises about the definition itself
 * ({@code States.Runtime}: a path that selects nothing, an expression that cannot be evaluated) and
 * {@code States.NoChoiceMatched} are not caught: they fail the run, as they would fail the run on the
 * service.
 *
 * <p>An interpreter holds no run state: one instance may run many runs, one per calling thread.
 */
public final class FlowInterpreter {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private final JsonNode definition;
  private final Map<String, ActionProvider> providers;
  private final Map<String, LocalCollection> collections;
  private final Timekeeper time;

  /**
   * @param definition the flow definition, read with its lines kept (for lint messages that name them)
   * @param providers the local action providers; each serves its {@link ActionProvider#urls()}
   * @param collections collection id to where its files are on this machine, passed to every action; an id
   *     not here makes an action that names it fail with ActionUnableToRun
   * @throws DefinitionRefusedException when the definition cannot be run; its problems say why, one a line
   */
  public FlowInterpreter(JsonDocument definition, Collection<? extends ActionProvider> providers,
      Map<String, LocalCollection> collections) throws DefinitionRefusedException {
    this(definition, providers, collections, Timekeeper.SYSTEM);
  }

  /** As {@link #FlowInterpreter(JsonDocument, Collection, Map)}, with the time Wait states read and sleep on. */
  public FlowInterpreter(JsonDocument definition, Collection<? extends ActionProvider> providers,
      Map<String, LocalCollection> collections, Timekeeper time) throws DefinitionRefusedException {
    LintReport lint = new FlowLinter().lint(definition, null);
    if (lint.hasErrors()) {
      List<String> errors = lint.findings().stream()
          .filter(f -> f.severity() == org.flowwatch.flow.Severity.ERROR).map(Object::toString).toList();
      throw new DefinitionRefusedException("the Globus Flows service would refuse " + definition.origin()
          + " (" + lint.summary() + "); fix the errors flowwatch lint reports", errors);
    }
    this.definition = definition.root();
    this.providers = byUrl(providers);
    this.collections = Map.copyOf(collections);
    this.time = time;
    List<String> problems = new ArrayList<>();
    checkStates(problems);
    if (!problems.isEmpty()) {
      throw new DefinitionRefusedException("the local engine cannot run " + definition.origin(), problems);
    }
  }

  /** A definition held as a tree; lint then names no lines. */
  public static FlowInterpreter of(JsonNode definition, Collection<? extends ActionProvider> providers,
      Map<String, LocalCollection> collections, Timekeeper time) throws DefinitionRefusedException {
    String text;
    try {
      text = MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(definition);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("the definition cannot be written as JSON: " + e.getOriginalMessage(), e);
    }
    return new FlowInterpreter(JsonDocument.parse(text, "the flow definition"), providers, collections, time);
  }

  /**
   * Runs the flow on {@code input} from {@code StartAt}.
   *
   * @throws InterruptedException when the calling thread is interrupted; a running action is stopped first.
   *     The last {@link Checkpoint} the listener got is where to {@link #resume}.
   */
  public RunResult run(JsonNode input, RunContext context, RunListener listener) throws InterruptedException {
    if (input == null || !input.isObject()) {
      throw new IllegalArgumentException("the flow input must be a JSON object, not " + Paths.kind(input));
    }
    return resume(new Checkpoint(definition.path("StartAt").asText(), input), context, listener);
  }

  /**
   * Runs the flow from a saved checkpoint: the state it names runs again from its start, on the flow state
   * saved with it (an agent restart calls this with the last checkpoint it saved).
   */
  public RunResult resume(Checkpoint at, RunContext context, RunListener listener) throws InterruptedException {
    if (!definition.path("States").has(at.state())) {
      throw new IllegalArgumentException("cannot resume at '" + at.state() + "': the definition has no such state;"
          + " its states are " + String.join(", ", stateNames()));
    }
    StateRunner runner = new StateRunner(providers, collections, time);
    String name = at.state();
    JsonNode flowState = at.flowState();
    while (true) {
      JsonNode state = definition.path("States").get(name);
      listener.entered(new Checkpoint(name, flowState), state.path("Type").asText());
      StateRunner.Outcome outcome;
      try {
        outcome = runner.run(name, state, flowState, context, listener);
      } catch (StateFailure failure) {
        JsonNode catcher = failure.catchable() ? catcher(state, failure.error()) : null;
        if (catcher == null) {
          listener.failed(name, failure.error(), failure.cause());
          return RunResult.failed(flowState, failure.error(), failure.cause(), name);
        }
        ObjectNode error = F.objectNode();
        error.put("Error", failure.error());
        error.put("Cause", failure.cause());
        JsonNode resultPath = catcher.get("ResultPath");
        try {
          flowState = Paths.write(flowState.deepCopy(),
              resultPath == null ? "$" : resultPath.isNull() ? null : resultPath.asText(), error);
        } catch (StateFailure bad) {
          listener.failed(name, bad.error(), bad.cause());
          return RunResult.failed(flowState, bad.error(), bad.cause(), name);
        }
        String next = catcher.path("Next").asText();
        listener.caught(name, failure.error(), failure.cause(), next);
        name = next;
        continue;
      }
      listener.finished(name, outcome.next(), outcome.flowState());
      flowState = outcome.flowState();
      if (outcome.next() == null) {
        return RunResult.succeeded(flowState);
      }
      name = outcome.next();
    }
  }

  /** The URLs the given providers serve, sorted. */
  public List<String> supportedUrls() {
    return List.copyOf(new TreeSet<>(providers.keySet()));
  }

  private static JsonNode catcher(JsonNode state, String error) {
    for (JsonNode c : state.path("Catch")) {
      for (JsonNode name : c.path("ErrorEquals")) {
        if (name.asText().equals(error) || name.asText().equals("States.ALL")) {
          return c;
        }
      }
    }
    return null;
  }

  /** Every ActionUrl served and every expression parsed, before anything runs. */
  private void checkStates(List<String> problems) {
    for (Map.Entry<String, JsonNode> e : definition.path("States").properties()) {
      JsonNode state = e.getValue();
      String where = "/States/" + e.getKey();
      if ("Action".equals(state.path("Type").asText())) {
        String url = state.path("ActionUrl").asText();
        if (!providers.containsKey(normalise(url))) {
          problems.add(where + "/ActionUrl: no local action provider serves '" + url + "'; the local engine serves "
              + (providers.isEmpty() ? "none (no provider was given)" : String.join(", ", supportedUrls())));
        }
      }
      ParameterTemplate.expressions(state.get("Parameters"), where + "/Parameters", problems);
    }
  }

  private List<String> stateNames() {
    List<String> names = new ArrayList<>();
    definition.path("States").fieldNames().forEachRemaining(names::add);
    return names;
  }

  private static Map<String, ActionProvider> byUrl(Collection<? extends ActionProvider> providers) {
    Map<String, ActionProvider> out = new LinkedHashMap<>();
    for (ActionProvider p : providers) {
      for (String url : p.urls()) {
        ActionProvider before = out.put(normalise(url), p);
        if (before != null && before != p) {
          throw new IllegalArgumentException("two local providers serve " + url + ": " + before.getClass().getName()
              + " and " + p.getClass().getName());
        }
      }
    }
    return out;
  }

  /** A URL without its trailing slash: definitions write {@code https://compute.actions.globus.org/v3/} too. */
  static String normalise(String url) {
    String u = url == null ? "" : url.trim();
    while (u.endsWith("/")) {
      u = u.substring(0, u.length() - 1);
    }
    return u;
  }
}
