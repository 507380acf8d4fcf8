package org.flowwatch.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.flowwatch.flow.JsonDocument;

/** Definitions written in tests, fake providers that answer like the hosted ones, and a listener that records. */
final class EngineFixture {
  static final ObjectMapper MAPPER = new ObjectMapper();
  static final RunContext CONTEXT = new RunContext("run-1", "flow-1", "alice@example.org");

  private EngineFixture() {}

  /**
   * JSON written with single quotes, so definitions read well inside Java strings; a backtick stands for a
   * single quote inside a string (expressions quote their strings with it).
   */
  static String quotes(String text) {
    return text.replace('\'', '"').replace('`', '\'');
  }

  static JsonNode json(String text) {
    try {
      return MAPPER.readTree(quotes(text));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  static FlowInterpreter interpreter(String definition, ActionProvider... providers)
      throws DefinitionRefusedException {
    return new FlowInterpreter(JsonDocument.parse(quotes(definition), "test.json"), List.of(providers),
        Map.of(), new FakeTime());
  }

  static RunResult run(String definition, String input, ActionProvider... providers) throws Exception {
    return interpreter(definition, providers).run(json(input), CONTEXT, RunListener.NONE);
  }

  /** A provider that answers every call with what {@code answer} makes of the parameters, recording each. */
  static final class FakeProvider implements ActionProvider {
    interface Answer {
      ActionStatus of(String url, JsonNode parameters) throws ActionUnableToRunException, InterruptedException;
    }

    final Set<String> urls;
    final Answer answer;
    final List<JsonNode> calls = Collections.synchronizedList(new ArrayList<>());
    final List<String> urlsCalled = Collections.synchronizedList(new ArrayList<>());

    FakeProvider(Set<String> urls, Answer answer) {
      this.urls = urls;
      this.answer = answer;
    }

    /** Succeeds with the parameters as details. */
    static FakeProvider echo(String... urls) {
      return new FakeProvider(Set.of(urls), (u, p) -> succeeded(p));
    }

    @Override
    public Set<String> urls() {
      return urls;
    }

    @Override
    public ActionStatus run(String url, JsonNode parameters, ActionContext context)
        throws ActionUnableToRunException, InterruptedException {
      calls.add(parameters);
      urlsCalled.add(url);
      return answer.of(url, parameters);
    }
  }

  static ActionStatus succeeded(JsonNode details) {
    return new ActionStatus("a-" + System.nanoTime(), ActionStatus.SUCCEEDED, details, Instant.EPOCH, Instant.EPOCH);
  }

  static ActionStatus failed(JsonNode details) {
    return new ActionStatus("a-" + System.nanoTime(), ActionStatus.FAILED, details, Instant.EPOCH, Instant.EPOCH);
  }

  static JsonNode text(String s) {
    return JsonNodeFactory.instance.textNode(s);
  }

  /** Time that moves only when slept on, and remembers every sleep. */
  static final class FakeTime implements Timekeeper {
    Instant now = Instant.parse("2026-12-03T08:00:00Z");
    final List<Duration> slept = new ArrayList<>();

    @Override
    public Instant now() {
      return now;
    }

    @Override
    public void sleep(Duration duration) {
      slept.add(duration);
      now = now.plus(duration);
    }
  }

  /** Every event, one line each ("entered Name Type", "finished Name -> Next", ...), and the checkpoints. */
  static final class Recorder implements RunListener {
    final List<String> events = new ArrayList<>();
    final List<Checkpoint> checkpoints = new ArrayList<>();

    @Override
    public void entered(Checkpoint at, String type) {
      checkpoints.add(at);
      events.add("entered " + at.state() + " " + type);
    }

    @Override
    public void progress(String state, String line) {
      events.add("progress " + state + " " + line);
    }

    @Override
    public void finished(String state, String next, JsonNode flowState) {
      events.add("finished " + state + " -> " + next);
    }

    @Override
    public void caught(String state, String error, String cause, String next) {
      events.add("caught " + state + " " + error + " -> " + next);
    }

    @Override
    public void failed(String state, String error, String cause) {
      events.add("failed " + state + " " + error);
    }
  }
}
