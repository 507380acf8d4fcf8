package org.flowwatch.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Map;

/**
 * Runs one state of any type on the flow state and says where the run goes next. Every state reads its
 * input as the flow state with {@code _context} added, narrowed by {@code InputPath}; Pass, Action and
 * ExpressionEval fill in {@code Parameters} from that input and store their result at {@code ResultPath}
 * ({@code $} when absent: it replaces the state; null: the result is dropped).
 */
final class StateRunner {
  /** The longest Wait the service allows (a year, in seconds). */
  static final long MAX_WAIT_SECONDS = 31_536_000L;

  /** What one state did: the next state (null at the end) and the new flow state. */
  record Outcome(String next, JsonNode flowState) {}

  private final Map<String, ActionProvider> providers;
  private final Map<String, LocalCollection> collections;
  private final Timekeeper time;

  StateRunner(Map<String, ActionProvider> providers, Map<String, LocalCollection> collections, Timekeeper time) {
    this.providers = providers;
    this.collections = collections;
    this.time = time;
  }

  Outcome run(String name, JsonNode state, JsonNode flowState, RunContext context, RunListener listener)
      throws StateFailure, InterruptedException {
    JsonNode view = withContext(flowState, context);
    String type = state.path("Type").asText();
    switch (type) {
      case "Pass" -> {
        JsonNode input = input(state, view);
        JsonNode result = state.has("Parameters") ? ParameterTemplate.resolve(state.get("Parameters"), input)
            : state.has("Result") ? state.get("Result").deepCopy() : input.deepCopy();
        return store(state, flowState, result);
      }
      case "ExpressionEval" -> {
        JsonNode result = ParameterTemplate.resolve(state.path("Parameters"), input(state, view));
        return store(state, flowState, result);
      }
      case "Action" -> {
        String url = state.path("ActionUrl").asText();
        ActionProvider provider = providers.get(FlowInterpreter.normalise(url));
        JsonNode input = input(state, view);
        JsonNode parameters = state.has("Parameters") ? ParameterTemplate.resolve(state.get("Parameters"), input)
            : input.deepCopy();
        ActionContext ctx = new ActionContext(context.runId(), name, collections,
            line -> listener.progress(name, line));
        return store(state, flowState, ActionRunner.run(provider, url, parameters, state, ctx));
      }
      case "Choice" -> {
        return new Outcome(Choices.next(state, input(state, view)), flowState);
      }
      case "Wait" -> {
        time.sleep(waitFor(state, input(state, view)));
        return new Outcome(next(state), flowState);
      }
      case "Fail" -> throw fail(state, view);
      default -> throw StateFailure.runtime("state type '" + type + "' is not one the local engine runs");
    }
  }

  /** The flow state as a state reads it: with {@code _context}, which is never stored. */
  static JsonNode withContext(JsonNode flowState, RunContext context) {
    if (!flowState.isObject()) {
      return flowState;
    }
    ObjectNode view = ((ObjectNode) flowState).deepCopy();
    view.set("_context", context.toJson());
    return view;
  }

  private static JsonNode input(JsonNode state, JsonNode view) throws StateFailure {
    JsonNode path = state.get("InputPath");
    return path == null || path.isNull() ? view : Paths.require(view, path.asText(), "InputPath");
  }

  private static Outcome store(JsonNode state, JsonNode flowState, JsonNode result) throws StateFailure {
    JsonNode path = state.get("ResultPath");
    String resultPath = path == null ? "$" : path.isNull() ? null : path.asText();
    JsonNode updated = Paths.write(flowState.deepCopy(), resultPath, result);
    if (updated.isObject()) {
      ((ObjectNode) updated).remove("_context");
    }
    return new Outcome(next(state), updated);
  }

  private static String next(JsonNode state) {
    return state.path("End").asBoolean(false) ? null : state.path("Next").asText(null);
  }

  private Duration waitFor(JsonNode state, JsonNode input) throws StateFailure {
    if (state.has("Seconds") || state.has("SecondsPath")) {
      JsonNode seconds = state.has("Seconds") ? state.get("Seconds")
          : Paths.require(input, state.get("SecondsPath").asText(), "SecondsPath");
      if (!seconds.isNumber() || seconds.asDouble() < 0 || seconds.asDouble() > MAX_WAIT_SECONDS) {
        throw StateFailure.runtime("Wait seconds must be a number from 0 to " + MAX_WAIT_SECONDS + ", not "
            + Paths.kind(seconds));
      }
      return Duration.ofMillis(Math.round(seconds.asDouble() * 1000));
    }
    JsonNode stamp = state.has("Timestamp") ? state.get("Timestamp")
        : Paths.require(input, state.path("TimestampPath").asText("$"), "TimestampPath");
    OffsetDateTime until = Choices.timestamp(stamp);
    if (until == null) {
      throw StateFailure.runtime("Wait timestamp must be an RFC 3339 date-time with an offset"
          + " (2026-12-03T08:00:00Z), not " + Paths.kind(stamp));
    }
    Duration left = Duration.between(time.now(), until.toInstant());
    return left.isNegative() ? Duration.ZERO : left;
  }

  private static StateFailure fail(JsonNode state, JsonNode input) throws StateFailure {
    String error = state.has("ErrorPath") ? Paths.require(input, state.get("ErrorPath").asText(), "ErrorPath").asText()
        : state.path("Error").asText("States.Fail");
    String cause = state.has("CausePath") ? Paths.require(input, state.get("CausePath").asText(), "CausePath").asText()
        : state.path("Cause").asText("");
    // A Fail state ends the run: nothing after it can catch what it raises.
    return new StateFailure(error, cause, false);
  }

}
