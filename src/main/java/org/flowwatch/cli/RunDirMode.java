package org.flowwatch.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.flowwatch.config.Config;
import org.flowwatch.globus.Sleeper;
import org.flowwatch.globus.flows.FlowRun;
import org.flowwatch.globus.flows.FlowsClient;
import org.flowwatch.input.InputDocument;
import org.flowwatch.input.JsonOutput;
import org.flowwatch.input.Violation;
import org.flowwatch.watch.RunFollower;
import org.flowwatch.watch.RunLauncher;

/** {@code --rundir}: build, validate and (unless --dry-run) start one run, optionally following it. */
final class RunDirMode {
  private static final String RUN_PAGE = "https://app.globus.org/runs/";

  private final Terminal terminal;

  RunDirMode(Terminal terminal) {
    this.terminal = terminal;
  }

  int run(Config cfg, Path runDirectory, boolean dryRun, boolean waitForRun, Duration waitInterval) {
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
      FlowRun run = launcher.start(doc, null, flows);
      terminal.out().println(run.runId());
      terminal.out().println(RUN_PAGE + run.runId());
      terminal.out().flush();
      if (!waitForRun) {
        return ExitCode.OK;
      }
      FlowRun end = follow(cfg, flows, run, waitInterval);
      return end.isSucceeded() ? ExitCode.OK : ExitCode.RUN_FAILED;
    }
  }

  private FlowRun follow(Config cfg, FlowsClient flows, FlowRun run, Duration waitInterval) {
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
    boolean lintClean = DryRunLint.report(cfg, err);
    if (doc.isValid()) {
      err.println("valid: the input document matches " + cfg.flow().schema());
      return lintClean ? ExitCode.OK : ExitCode.INVALID_INPUT;
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
