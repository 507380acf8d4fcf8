package org.flowwatch.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.flowwatch.config.Config;
import org.flowwatch.config.ConfigLoader;
import org.flowwatch.engine.CauseLine;
import org.flowwatch.engine.DefinitionRefusedException;
import org.flowwatch.engine.FlowInterpreter;
import org.flowwatch.engine.LocalEngine;
import org.flowwatch.engine.RunContext;
import org.flowwatch.engine.RunResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(
    name = "run-flow",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Run a flow definition on an input document here, with the local flow engine.",
      "One line per state on stderr, the run record on stdout.",
      "Without --config no config is read: only --root maps collections.",
      "Exit 0 only when the run SUCCEEDED; 8 when it failed; 4 when it cannot run."
    })
final class RunFlowCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** How long a stop waits for the running action to end what it started (TaskStopper's grace and scancel). */
  private static final Duration STOP_WAIT = Duration.ofSeconds(20);

  private final Terminal terminal;

  @ParentCommand FlowwatchCommand parent;

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "DEFINITION", description = "The flow definition (JSON).")
  Path definition;

  @Parameters(index = "1", paramLabel = "INPUT", description = "The input document (JSON); - reads stdin.")
  String input;

  @Option(names = "--root", paramLabel = "COLLECTION_ID=DIR",
      description = "DIR holds the collection's /; repeatable, wins over the config.")
  List<String> roots = new ArrayList<>();

  @Option(names = "--verbose", description = "Also show each action's progress lines (a function's output).")
  boolean verbose;

  RunFlowCommand(Terminal terminal) {
    this.terminal = terminal;
  }

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter err = terminal.err();
    Map<String, Path> mappings = RootMappings.parse(roots);
    // Without --config only --root maps collections: a ./flowwatch.yaml lying around must not decide
    // where a flow author's test run writes.
    Config config = OptionalConfig.given(spec) ? new ConfigLoader(terminal.env()).load(parent.config) : null;
    JsonNode document = readInput();
    LocalEngine engine;
    try {
      engine = LocalEngine.of(config, mappings);
    } catch (IllegalArgumentException e) {
      throw new UsageException("--root: " + e.getMessage());
    }
    FlowInterpreter interpreter;
    try {
      interpreter = engine.interpreter(definition);
    } catch (DefinitionRefusedException e) {
      err.println("flowwatch: " + e.getMessage());
      return ExitCode.INVALID_INPUT;
    }
    err.println("run-flow: " + definition + " with collections " + describe(engine));
    RunContext context = new RunContext(UUID.randomUUID().toString(), flowId(config),
        System.getProperty("user.name"));
    StateLines lines = new StateLines(err, verbose);
    RunResult result = runStoppable(interpreter, document, context, lines);
    try {
      terminal.out().println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(result.toRunRecord(context)));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("the run record could not be written as JSON", e);
    }
    terminal.out().flush();
    if (result.succeeded()) {
      err.println("run-flow: SUCCEEDED (run " + context.runId() + ")");
      return ExitCode.OK;
    }
    err.println("run-flow: FAILED at state " + result.failedState() + " with " + result.error() + ": "
        + CauseLine.of(result.cause()));
    return ExitCode.RUN_FAILED;
  }

  /**
   * Runs the flow so that SIGTERM or Ctrl-C stops it cleanly: the hook interrupts this thread, the
   * running action stops what it started (a function's processes and Slurm jobs), and the JVM exits
   * after that, not before.
   */
  private RunResult runStoppable(FlowInterpreter interpreter, JsonNode document, RunContext context,
      StateLines lines) throws InterruptedException {
    Thread running = Thread.currentThread();
    CountDownLatch ended = new CountDownLatch(1);
    Thread hook = new Thread(() -> {
      running.interrupt();
      try {
        ended.await(STOP_WAIT.toSeconds(), TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "run-flow-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      return interpreter.run(document, context, lines);
    } catch (InterruptedException e) {
      terminal.err().println("run-flow: stopped in state " + lines.current() + "; what it had started was stopped"
          + " too (run " + context.runId() + ")");
      terminal.err().flush();
      throw e;
    } finally {
      ended.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // The JVM is already stopping: the hook is running, and waits no longer now.
      }
    }
  }

  private JsonNode readInput() {
    String text;
    try {
      text = input.equals("-") ? terminal.in().lines().collect(Collectors.joining("\n"))
          : Files.readString(Path.of(input), StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new UsageException("input document " + input + " does not exist");
    } catch (IOException | java.io.UncheckedIOException e) {
      throw new UsageException("cannot read the input document " + input + ": " + e.getMessage());
    }
    JsonNode node;
    try {
      node = JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw new FlowInputException("the input document " + input + " is not valid JSON: " + e.getOriginalMessage()
          + " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")");
    }
    if (node == null || !node.isObject()) {
      throw new FlowInputException("the input document " + input + " must be a JSON object ({...}), as a flow's"
          + " input is");
    }
    return node;
  }

  /** The deployed flow's id when the config names this definition, else a name that says it is local. */
  private String flowId(Config config) {
    if (config != null && config.flow().id() != null && config.flow().definition() != null
        && config.flow().definition().equals(definition.toAbsolutePath().normalize())) {
      return config.flow().id().toString();
    }
    return "local:" + definition.getFileName();
  }

  private static String describe(LocalEngine engine) {
    if (engine.collections().isEmpty()) {
      return "none mapped (give --root COLLECTION_ID=DIR or --config)";
    }
    List<String> parts = new ArrayList<>();
    engine.collections().forEach((id, c) -> parts.add(id + " " + c.globusRoot() + " -> " + c.localRoot()));
    return String.join(", ", parts);
  }
}
