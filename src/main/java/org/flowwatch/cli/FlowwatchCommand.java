package org.flowwatch.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.flowwatch.config.Config;
import org.flowwatch.config.ConfigLoader;
import org.flowwatch.input.InputDocument;
import org.flowwatch.input.JsonOutput;
import org.flowwatch.input.Violation;
import org.flowwatch.watch.RunLauncher;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

@Command(
    name = "flowwatch",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    sortOptions = false,
    usageHelpAutoWidth = true,
    description = {
      "Starts a Globus Flow run for each experiment run directory.",
      "",
      "  flowwatch --rundir DIR --dry-run   build and validate DIR's input document, start nothing",
      "  flowwatch --rundir DIR             start one run for DIR",
      ""
    },
    footer = {"", "Exit codes and the configuration file are described in README.md."})
final class FlowwatchCommand implements Callable<Integer> {
  private final Terminal terminal;

  @Option(names = "--config", paramLabel = "FILE", scope = ScopeType.INHERIT,
      description = "Configuration file (default: ${DEFAULT-VALUE}).")
  Path config = Path.of("flowwatch.yaml");

  @Option(names = "--rundir", paramLabel = "DIR", description = "Start one flow run for this run directory.")
  Path runDirectory;

  @Option(names = "--dry-run",
      description = "Build and validate everything, print the input document, start nothing. No network.")
  boolean dryRun;

  @Option(names = "--wait", description = "Follow the started run until it ends; exit 0 only if it SUCCEEDED.")
  boolean waitForRun;

  @Option(names = "--stacktrace", scope = ScopeType.INHERIT,
      description = "Print the Java stack trace with an error.")
  boolean stackTrace;

  FlowwatchCommand(Terminal terminal) {
    this.terminal = terminal;
  }

  @Override
  public Integer call() {
    if (runDirectory == null) {
      throw new UsageException("nothing to do: give --rundir DIR (add --dry-run to only check it)");
    }
    if (dryRun && waitForRun) {
      throw new UsageException("--wait follows a started run, and --dry-run starts none; use one of them");
    }
    Config cfg = new ConfigLoader(terminal.env()).load(config);
    RunLauncher launcher = new RunLauncher(cfg, terminal.env());
    InputDocument doc = launcher.prepare(runDirectory);
    if (dryRun) {
      return printDryRun(cfg, doc);
    }
    throw new UsageException("starting runs is not available in this build; use --dry-run");
  }

  private int printDryRun(Config cfg, InputDocument doc) {
    terminal.out().println(JsonOutput.pretty(doc.body()));
    terminal.out().flush();
    PrintWriter err = terminal.err();
    err.println("label: " + doc.label());
    err.println("tags: " + String.join(", ", doc.tags()));
    if (cfg.flow().id() == null) {
      err.println("note: flow.id is not set in " + cfg.file() + "; a real start needs it (deploy the flow first)");
    }
    if (doc.isValid()) {
      err.println("valid: the input document matches " + cfg.flow().schema());
      return ExitCode.OK;
    }
    err.println("invalid: the input document breaks " + cfg.flow().schema() + " in "
        + doc.report().violations().size() + " place(s):");
    for (Violation v : doc.report().violations()) {
      err.println("  " + (v.pointer().isEmpty() ? "(root)" : v.pointer()) + ": " + v.message());
    }
    return ExitCode.INVALID_INPUT;
  }
}
