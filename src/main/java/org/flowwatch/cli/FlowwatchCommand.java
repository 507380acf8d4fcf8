package org.flowwatch.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.Callable;
import org.flowwatch.config.Config;
import org.flowwatch.config.ConfigLoader;
import org.flowwatch.globus.FlowRun;
import org.flowwatch.globus.FlowsClient;
import org.flowwatch.globus.Sleeper;
import org.flowwatch.input.InputDocument;
import org.flowwatch.input.JsonOutput;
import org.flowwatch.input.Violation;
import org.flowwatch.watch.RunFollower;
import org.flowwatch.watch.RunLauncher;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

@Command(
    name = "flowwatch",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    subcommands = {LoginCommand.class, RegisterFunctionCommand.class, EndpointsCommand.class},
    sortOptions = false,
    usageHelpAutoWidth = true,
    description = {
      "Starts a Globus Flow run for each experiment run directory.",
      "",
      "  flowwatch --rundir DIR --dry-run   build and validate DIR's input document, start nothing",
      "  flowwatch --rundir DIR             start one run for DIR",
      "  flowwatch login                    sign in to Globus with a browser",
      ""
    },
    footer = {"", "Exit codes and the configuration file are described in README.md."})
final class FlowwatchCommand implements Callable<Integer> {
  private static final String RUN_PAGE = "https://app.globus.org/runs/";

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

  @Option(names = "--wait-interval", hidden = true, defaultValue = "PT2S",
      description = "First polling interval of --wait (ISO-8601 duration); it doubles up to a minute.")
  Duration waitInterval;

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
    if (!doc.isValid()) {
      printViolations(cfg, doc);
      return ExitCode.INVALID_INPUT;
    }
    RunLauncher.flowId(cfg); // fail on a missing flow id before asking for credentials
    try (GlobusSession globus = GlobusSession.open(terminal)) {
      FlowsClient flows = globus.flows(terminal, cfg);
      terminal.err().println("starting '" + doc.label() + "' (flow " + cfg.flow().id() + ")");
      FlowRun run = launcher.start(doc, doc.label(), flows);
      terminal.out().println(run.runId());
      terminal.out().println(RUN_PAGE + run.runId());
      terminal.out().flush();
      if (!waitForRun) {
        return ExitCode.OK;
      }
      FlowRun end = follow(cfg, flows, run);
      return end.isSucceeded() ? ExitCode.OK : ExitCode.RUN_FAILED;
    }
  }

  private FlowRun follow(Config cfg, FlowsClient flows, FlowRun run) {
    PrintWriter err = terminal.err();
    RunFollower follower = new RunFollower(flows, Sleeper.SYSTEM, waitInterval, Duration.ofSeconds(60));
    try {
      return follower.follow(run.runId(), r -> {
        err.println(Instant.now().truncatedTo(ChronoUnit.SECONDS) + " " + r.status()
            + (r.detailsCode() == null ? "" : " (" + r.detailsCode() + ")")
            + (r.detailsDescription() == null ? "" : ": " + r.detailsDescription()));
        String consent = r.isInactive() ? r.consentScope(RunLauncher.flowScope(cfg)) : null;
        if (consent != null) {
          err.println("  the run waits for consent; run: flowwatch login --scope '" + consent + "'");
          err.println("  then resume it at " + RUN_PAGE + r.runId());
        }
        err.flush();
      });
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UsageException("stopped waiting; the run goes on at " + RUN_PAGE + run.runId());
    }
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
    printViolations(cfg, doc);
    return ExitCode.INVALID_INPUT;
  }

  private void printViolations(Config cfg, InputDocument doc) {
    PrintWriter err = terminal.err();
    err.println("invalid: the input document breaks " + cfg.flow().schema() + " in "
        + doc.report().violations().size() + " place(s):");
    for (Violation v : doc.report().violations()) {
      err.println("  " + (v.pointer().isEmpty() ? "(root)" : v.pointer()) + ": " + v.message());
    }
  }
}
