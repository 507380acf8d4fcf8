package org.flowwatch.engine.compute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.flowwatch.engine.ActionContext;
import org.flowwatch.engine.ActionStatus;
import org.flowwatch.engine.ActionUnableToRunException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local Compute provider with real python3 processes running real source files. */
class LocalComputeProviderTest {
  static final String ENDPOINT = "ff16dcd1-0632-4fdd-8b0c-d239d4f1b889";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SOURCE = String.join("\n",
      "import os",
      "import subprocess",
      "import time",
      "",
      "def add(a, b, scale=1):",
      "    print('adding', a, b)",
      "    return {'sum': (a + b) * scale}",
      "",
      "def _check(segment):",
      "    raise RuntimeError('fit of run 1217 failed: segment %02d exited with 3' % segment)",
      "",
      "def fit(segment=None):",
      "    _check(segment)",
      "",
      "def setting(name):",
      "    return os.environ.get(name)",
      "",
      "def unserialisable():",
      "    return {1, 2}",
      "",
      "def hang(pid_dir):",
      "    child = subprocess.Popen(['sleep', '600'])",
      "    with open(os.path.join(pid_dir, 'child.part'), 'w') as f:",
      "        f.write(str(child.pid))",
      "    with open(os.path.join(pid_dir, 'self.part'), 'w') as f:",
      "        f.write(str(os.getpid()))",
      "    os.rename(os.path.join(pid_dir, 'child.part'), os.path.join(pid_dir, 'child'))",
      "    os.rename(os.path.join(pid_dir, 'self.part'), os.path.join(pid_dir, 'self'))",
      "    time.sleep(600)",
      "",
      "ran_as_main = __name__ == '__main__'",
      "",
      "def main_guard():",
      "    return ran_as_main",
      "");

  @TempDir Path tmp;
  private Path source;
  private final List<String> progress = new CopyOnWriteArrayList<>();

  @BeforeEach
  void writeSource() throws IOException {
    source = tmp.resolve("functions.py");
    Files.writeString(source, SOURCE);
  }

  static String id(int n) {
    return String.format("00000000-0000-4000-8000-%012d", n);
  }

  private LocalComputeProvider provider(Launcher launcher) {
    Map<String, LocalFunction> functions = Map.of(
        id(1), new LocalFunction(source, "add"),
        id(2), new LocalFunction(source, "fit"),
        id(3), new LocalFunction(source, "setting"),
        id(4), new LocalFunction(source, "unserialisable"),
        id(5), new LocalFunction(source, "hang"),
        id(6), new LocalFunction(source, "main_guard"),
        id(7), new LocalFunction(source, "missing"));
    return new LocalComputeProvider(functions, Map.of(ENDPOINT, launcher), tmp.resolve("work"), "python3");
  }

  private ActionContext context() {
    return new ActionContext("run-1", "FitData", Map.of(), progress::add);
  }

  private ActionStatus v3(LocalComputeProvider provider, int function, String args, String kwargs) throws Exception {
    return provider.run(LocalComputeProvider.V3, JSON.readTree("{\"endpoint_id\": \"" + ENDPOINT + "\", \"tasks\":"
        + " [{\"function_id\": \"" + id(function) + "\", \"args\": " + args + ", \"kwargs\": " + kwargs + "}]}"),
        context());
  }

  @Test
  void aReturnedValueIsTheResultInTheHostedShape() throws Exception {
    ActionStatus status = v3(provider(Launcher.DIRECT), 1, "[2, 3]", "{\"scale\": 10}");

    assertEquals(ActionStatus.SUCCEEDED, status.status());
    JsonNode details = status.details();
    assertEquals(50, details.path("result").get(0).path("sum").asInt());
    assertEquals(50, details.path("results").get(0).path("output").path("sum").asInt());
    assertFalse(details.path("results").get(0).path("task_id").asText().isEmpty());
    assertTrue(status.actionId().startsWith("tg_"), status.actionId());
    assertTrue(progress.contains("adding 2 3"), progress.toString());
    assertFalse(Files.list(tmp.resolve("work")).findAny().isPresent(), "the work directory is cleaned up");
  }

  @Test
  void aRaisedExceptionFailsTheActionWithItsMessageAndTracebackTail() throws Exception {
    ActionStatus status = v3(provider(Launcher.DIRECT), 2, "[]", "{\"segment\": 7}");

    assertEquals(ActionStatus.FAILED, status.status());
    JsonNode details = status.details();
    String error = details.path("error").asText();
    assertTrue(error.contains("RuntimeError: fit of run 1217 failed: segment 07 exited with 3"), error);
    assertTrue(error.contains("in _check") && error.contains("in fit"), error);
    assertTrue(error.contains(source.toString()), error);
    assertEquals("RuntimeError", details.path("exception").path("type").asText());
    assertEquals(id(2), details.path("exception").path("function_id").asText());
    assertEquals(0, details.path("result").size());
  }

  @Test
  void theOlderProviderShapeWithPayloadWorks() throws Exception {
    ActionStatus status = provider(Launcher.DIRECT).run(LocalComputeProvider.V2 + "/", JSON.readTree(
        "{\"endpoint\": \"" + ENDPOINT + "\", \"function\": \"" + id(1) + "\", \"args\": 1, \"payload\": {\"b\": 4}}"),
        context());

    assertEquals(ActionStatus.SUCCEEDED, status.status());
    assertEquals(5, status.details().path("result").get(0).path("sum").asInt());
  }

  @Test
  void severalTasksAnswerInOrder() throws Exception {
    ActionStatus status = provider(Launcher.DIRECT).run(LocalComputeProvider.V3, JSON.readTree(
        "{\"endpoint_id\": \"" + ENDPOINT + "\", \"tasks\": [{\"function_id\": \"" + id(1) + "\", \"args\": [1, 1]},"
            + " {\"function_id\": \"" + id(1).toUpperCase() + "\", \"kwargs\": {\"a\": 2, \"b\": 2}}]}"), context());

    assertEquals(2, status.details().path("result").get(0).path("sum").asInt());
    assertEquals(4, status.details().path("result").get(1).path("sum").asInt());
  }

  @Test
  void theLaunchersEnvironmentReachesTheFunction() throws Exception {
    Launcher launcher = new Launcher(Launcher.Kind.DIRECT, List.of(), Map.of("FLOWWATCH_LAUNCHER", "sbatch"));

    ActionStatus status = v3(provider(launcher), 3, "[\"FLOWWATCH_LAUNCHER\"]", "{}");

    assertEquals("sbatch", status.details().path("result").get(0).asText());
  }

  @Test
  void theSourceRunsAsSourceTextNotAsAMainScript() throws Exception {
    ActionStatus status = v3(provider(Launcher.DIRECT), 6, "[]", "{}");

    assertFalse(status.details().path("result").get(0).asBoolean(true));
  }

  @Test
  void aValueJsonCannotHoldFailsClearly() throws Exception {
    ActionStatus status = v3(provider(Launcher.DIRECT), 4, "[]", "{}");

    assertEquals(ActionStatus.FAILED, status.status());
    assertTrue(status.details().path("error").asText().contains("JSON cannot hold (set)"),
        status.details().path("error").asText());
  }

  @Test
  void aFunctionMissingFromItsSourceFailsNamingTheOnesThere() throws Exception {
    ActionStatus status = v3(provider(Launcher.DIRECT), 7, "[]", "{}");

    String error = status.details().path("error").asText();
    assertEquals(ActionStatus.FAILED, status.status());
    assertTrue(error.contains("NameError") && error.contains("defines no function missing") && error.contains("add"),
        error);
  }

  @Test
  void anUnknownFunctionOrEndpointCannotRun() {
    LocalComputeProvider provider = provider(Launcher.DIRECT);

    ActionUnableToRunException function = assertThrows(ActionUnableToRunException.class,
        () -> v3(provider, 99, "[]", "{}"));
    ActionUnableToRunException endpoint = assertThrows(ActionUnableToRunException.class,
        () -> provider.run(LocalComputeProvider.V3, JSON.readTree("{\"endpoint_id\": \"" + id(42) + "\", \"tasks\":"
            + " [{\"function_id\": \"" + id(1) + "\"}]}"), context()));

    assertTrue(function.getMessage().contains(id(99)) && function.getMessage().contains(id(1)), function.getMessage());
    assertTrue(endpoint.getMessage().contains(id(42)) && endpoint.getMessage().contains(ENDPOINT),
        endpoint.getMessage());
  }

  @Test
  void v3RefusesArgsThatAreNotAList() {
    assertThrows(ActionUnableToRunException.class, () -> v3(provider(Launcher.DIRECT), 1, "3", "{}"));
  }

  @Test
  void anInterruptedActionKillsTheFunctionAndItsChildren() throws Exception {
    assertInterruptionKills(provider(Launcher.DIRECT), tmp.resolve("pids"));
  }

  /** Runs the hanging function, interrupts the caller, and checks every process it started is gone. */
  void assertInterruptionKills(LocalComputeProvider provider, Path pids) throws Exception {
    Files.createDirectories(pids);
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    Thread caller = new Thread(() -> {
      try {
        v3(provider, 5, "[\"" + pids + "\"]", "{}");
      } catch (Throwable t) {
        thrown.set(t);
      }
    });
    caller.start();
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!Files.exists(pids.resolve("self")) && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertTrue(Files.exists(pids.resolve("self")), "the function started: " + progress);
    long self = Long.parseLong(Files.readString(pids.resolve("self")));
    long child = Long.parseLong(Files.readString(pids.resolve("child")));

    caller.interrupt();
    caller.join(Duration.ofSeconds(30).toMillis());

    assertFalse(caller.isAlive(), "run() returned after the interrupt");
    assertTrue(thrown.get() instanceof InterruptedException, String.valueOf(thrown.get()));
    assertFalse(alive(self), "the function's process " + self + " is gone");
    assertFalse(alive(child), "its child " + child + " is gone");
  }

  private static boolean alive(long pid) throws IOException {
    Path status = Path.of("/proc", Long.toString(pid), "status");
    // A killed child may linger as a zombie until its (dead) parent's reaper collects it: that is gone too.
    return Files.exists(status) && !Files.readString(status).contains("State:\tZ");
  }

  @Test
  void theShippedPipelineFunctionsLoadAsSourceTextAndTheirErrorsReachTheFlow() throws Exception {
    Path pipeline = Path.of("src/main/python/pipeline.py").toAbsolutePath();
    LocalComputeProvider provider = new LocalComputeProvider(Map.of(id(1), new LocalFunction(pipeline, "fit")),
        Map.of(ENDPOINT, Launcher.DIRECT), tmp.resolve("work"), "python3");
    Path missing = tmp.resolve("rawdata/run1217");

    ActionStatus status = provider.run(LocalComputeProvider.V3, JSON.readTree("{\"endpoint_id\": \"" + ENDPOINT
        + "\", \"tasks\": [{\"function_id\": \"" + id(1) + "\", \"args\": [], \"kwargs\": {\"endpoint_id\": \""
        + ENDPOINT + "\", \"input_path\": \"" + missing + "\", \"output_path\": \"" + tmp.resolve("fitted")
        + "\", \"log_dir\": \"" + tmp.resolve("logs") + "\"}}]}"), context());

    assertEquals(ActionStatus.FAILED, status.status());
    String error = status.details().path("error").asText();
    assertTrue(error.contains("RuntimeError: fit: input directory " + missing + " does not exist"), error);
  }
}
