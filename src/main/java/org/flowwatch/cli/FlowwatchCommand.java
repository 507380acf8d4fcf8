package org.flowwatch.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.flowwatch.config.Config;
import org.flowwatch.config.ConfigLoader;
import org.flowwatch.config.Durations;
import org.flowwatch.watch.AgentOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

@Command(
    name = "flowwatch",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    subcommands = {LoginCommand.class, StatusCommand.class, RetryCommand.class, LintCommand.class,
        DeployFlowCommand.class, RegisterFunctionCommand.class, EndpointsCommand.class},
    sortOptions = false,
    usageHelpAutoWidth = true,
    description = {
      "Starts a Globus Flow run for each experiment run directory.",
      "",
      "  flowwatch --watchdir DIR           the agent: start a run for each complete run directory",
      "  flowwatch --watchdir DIR --once    one scan-and-start pass (for cron)",
      "  flowwatch --rundir DIR             start one run for DIR",
      "  add --dry-run to either            build and validate everything, start nothing, no network",
      "  flowwatch status | retry | login   see the ledger, re-queue runs, sign in to Globus",
      "  flowwatch lint | deploy-flow       check the flow definition; create or update the flow",
      ""
    },
    footer = {"", "Exit codes and the configuration file are described in README.md."})
final class FlowwatchCommand implements Callable<Integer> {
  private final Terminal terminal;

  @Option(names = "--config", paramLabel = "FILE", scope = ScopeType.INHERIT,
      description = "Configuration file (default: ${DEFAULT-VALUE}).")
  Path config = Path.of("flowwatch.yaml");

  @Option(names = "--watchdir", paramLabel = "DIR",
      description = "Watch DIR and start one flow run for each complete run directory in it.")
  Path watchDirectory;

  @Option(names = "--rundir", paramLabel = "DIR", description = "Start one flow run for this run directory.")
  Path runDirectory;

  @Option(names = "--dry-run",
      description = "Build and validate everything, print what would start, start nothing. No network.")
  boolean dryRun;

  @Option(names = "--wait", description = "With --rundir: follow the run until it ends; exit 0 only if it"
      + " SUCCEEDED.")
  boolean waitForRun;

  @Option(names = "--once", description = "With --watchdir: one full scan-and-start pass, then exit.")
  boolean once;

  @Option(names = "--poll", description = "With --watchdir: scan only, ignore file-system events"
      + " (automatic on nfs, ceph, lustre, gpfs, cifs and fuse).")
  boolean pollOnly;

  @Option(names = "--trigger-delay", paramLabel = "SECONDS",
      description = "Seconds a run directory must stay unchanged before it starts (watch.trigger_delay).")
  String triggerDelay;

  @Option(names = "--state-dir", paramLabel = "DIR", scope = ScopeType.INHERIT,
      description = "Where the ledger is kept (default: $XDG_STATE_HOME/flowwatch).")
  Path stateDirectory;

  @Option(names = "--log-format", paramLabel = "FORMAT", defaultValue = "text",
      description = "Agent log lines as text or json (default: ${DEFAULT-VALUE}).")
  LogSetup.Format logFormat;

  @Option(names = "--log-dir", paramLabel = "DIR", description = "Also write the agent's log to one file per"
      + " day in DIR (flowwatch-YYYY-MM-DD.log).")
  Path logDirectory;

  @Option(names = "--wait-interval", hidden = true, defaultValue = "PT2S",
      description = "First polling interval of --wait (ISO-8601 duration); it doubles up to a minute.")
  Duration waitInterval;

  @Option(names = "--start-grace", hidden = true, defaultValue = "PT90S",
      description = "How long a start whose answer was lost may take to appear in the run list.")
  Duration startGrace;

  @Option(names = "--status-poll", hidden = true, defaultValue = "PT30S",
      description = "First status poll of an active run; later polls back off to ten minutes.")
  Duration statusPoll;

  @Option(names = "--stacktrace", scope = ScopeType.INHERIT,
      description = "Print the Java stack trace with an error.")
  boolean stackTrace;

  FlowwatchCommand(Terminal terminal) {
    this.terminal = terminal;
  }

  @Override
  public Integer call() throws InterruptedException {
    checkOptions();
    Config cfg = new ConfigLoader(terminal.env()).load(config);
    if (triggerDelay != null) {
      cfg = cfg.withWatch(cfg.watch().withTriggerDelay(Durations.parse(triggerDelay)));
    }
    if (runDirectory != null) {
      return new RunDirMode(terminal).run(cfg, runDirectory, dryRun, waitForRun, waitInterval);
    }
    if (dryRun) {
      return new WatchDryRun(terminal).run(cfg, watchDirectory, stateDirectory);
    }
    LogSetup.apply(logFormat, logDirectory);
    AgentOptions options = new AgentOptions(pollOnly, startGrace, statusPoll,
        statusPoll.compareTo(Duration.ofMinutes(10)) > 0 ? statusPoll : Duration.ofMinutes(10));
    return new WatchMode(terminal).run(cfg, watchDirectory, stateDirectory, once, pollOnly, options);
  }

  private void checkOptions() {
    if (runDirectory == null && watchDirectory == null) {
      throw new UsageException("nothing to do: give --watchdir DIR (the agent) or --rundir DIR (one run); add"
          + " --dry-run to only check");
    }
    if (runDirectory != null && watchDirectory != null) {
      throw new UsageException("--rundir and --watchdir cannot be combined; use one of them");
    }
    if (dryRun && waitForRun) {
      throw new UsageException("--wait follows a started run, and --dry-run starts none; use one of them");
    }
    if (waitForRun && runDirectory == null) {
      throw new UsageException("--wait works with --rundir only");
    }
    if (runDirectory != null && (once || pollOnly || triggerDelay != null || logDirectory != null)) {
      throw new UsageException("--once, --poll, --trigger-delay and --log-dir work with --watchdir only");
    }
    if (triggerDelay != null && Durations.parse(triggerDelay) == null) {
      throw new UsageException("--trigger-delay expects seconds (30) or a duration (30s, 2m), got '"
          + triggerDelay + "'");
    }
  }
}
