package org.flowwatch.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.flowwatch.check.CheckResult;
import org.flowwatch.check.Preflight;
import org.flowwatch.text.Printable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(
    name = "check",
    mixinStandardHelpOptions = true,
    description = {
      "The pre-flight before the beam: the config; a token for every scope a run",
      "needs; the flow and its drift from the local files; each Compute endpoint",
      "and function; each collection's root through Transfer; the state directory.",
      "One line per check: ok, warn or fail, and what to do. Changes nothing.",
      "Exit 0 when nothing failed (warnings do not fail), else the exit code of",
      "the first failure (README.md, \"Before the beam\")."
    })
final class CheckCommand implements Callable<Integer> {
  private final Terminal terminal;

  @ParentCommand FlowwatchCommand parent;

  @Option(names = "--json", description = "Print the checks as JSON instead of lines.")
  boolean json;

  CheckCommand(Terminal terminal) {
    this.terminal = terminal;
  }

  @Override
  public Integer call() {
    List<CheckResult> results = new Preflight(terminal.env(), Clock.systemUTC()).run(parent.config,
        parent.stateDirectory);
    int code = exitCode(results);
    PrintWriter out = terminal.out();
    if (json) {
      out.println(toJson(results, code).toPrettyString());
    } else {
      int width = results.stream().mapToInt(r -> r.check().length()).max().orElse(0);
      for (CheckResult r : results) {
        out.printf("%-4s  %-" + width + "s  %s%n", word(r.verdict()), Printable.line(r.check()),
            Printable.line(r.message()));
      }
    }
    long failed = results.stream().filter(CheckResult::failed).count();
    long warned = results.stream().filter(r -> r.verdict() == CheckResult.Verdict.WARN).count();
    terminal.err().println(failed == 0 ? "ready: " + results.size() + " checks, " + warned + " warning"
        + (warned == 1 ? "" : "s") : "not ready: " + failed + " of " + results.size() + " checks failed (exit " + code
            + ")");
    out.flush();
    terminal.err().flush();
    return code;
  }

  /** The code of the first failure in the order printed; 0 when none failed. */
  static int exitCode(List<CheckResult> results) {
    return results.stream().filter(CheckResult::failed).findFirst().map(CheckCommand::exitCode).orElse(ExitCode.OK);
  }

  private static int exitCode(CheckResult failed) {
    return switch (failed.failure()) {
      case CONFIG, STATE_DIRECTORY -> ExitCode.CONFIG;
      case FLOW_FILES -> ExitCode.INVALID_INPUT;
      case OFFLINE -> ExitCode.UNAVAILABLE;
      case SERVICE -> FailureReporter.exitCodeOf(failed.cause());
    };
  }

  private static String word(CheckResult.Verdict v) {
    return v.name().toLowerCase(Locale.ROOT);
  }

  private static ObjectNode toJson(List<CheckResult> results, int code) {
    ObjectNode root = new ObjectMapper().createObjectNode();
    root.put("ok", results.stream().noneMatch(CheckResult::failed)).put("exit_code", code);
    ArrayNode checks = root.putArray("checks");
    for (CheckResult r : results) {
      checks.addObject().put("check", r.check()).put("status", word(r.verdict())).put("message", r.message());
    }
    return root;
  }
}
