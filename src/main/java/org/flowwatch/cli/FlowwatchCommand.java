package org.flowwatch.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.flowwatch.config.Durations;
import org.flowwatch.config.Engine;
import org.flowwatch.engine.RunListener;
import org.flowwatch.globus.Sleeper;
import org.flowwatch.watch.HandStart;
import org.flowwatch.watch.HandStartPreview;
import org.flowwatch.watch.StartOptions;
import org.flowwatch.watch.WatchAgent;
import org.flowwatch.watch.WatchPreview;
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
      "  flowwatch --watchdir DIR           the agent: start a run for each complete run directory",
      "  flowwatch --watchdir DIR --once    one scan-and-start pass (for cron)",
      "  flowwatch --rundir DIR             start one run for DIR",
      "  add --dry-run to either            build and validate everything, start nothing, no network",
      "  flowwatch status | retry | login   see the ledger, re-queue runs, sign in to Globus",
      "  flowwatch explain DIR              why a run directory is where it is, and what comes next",
      "  flowwatch lint | deploy-flow       check the flow definition; create or update the flow",
      "  flowwatch check                    the pre-flight: credentials, flow, endpoints, collections",
      "  flowwatch resume | cancel KEY...   resume (after consent) or cancel a run at the service",
      "  flowwatch run-flow DEF INPUT       run any flow definition on this machine",
      "  add --engine local                 run the flow on this machine instead of at Globus",
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

  @Option(names = "--again", description = "With --rundir: start the directory even though the ledger has it"
      + " started or succeeded (a deliberate re-run, recorded as a new attempt).")
  boolean again;

  @Option(names = "--force", description = "With --rundir: start the directory even though it is not ready by"
      + " watch.readiness.")
  boolean force;

  @Option(names = "--once", description = "With --watchdir: one full scan-and-start pass, then exit.")
  boolean once;

  @Option(names = "--poll", description = "With --watchdir: scan only, ignore file-system events"
      + " (automatic on nfs, ceph, lustre, gpfs, cifs and fuse).")
  boolean pollOnly;

  @Option(names = "--http", paramLabel = "HOST:PORT", converter = HttpAddress.class,
      description = "With --watchdir: serve /metrics, /healthz and /readyz on HOST:PORT (http.listen);"
          + " off by default.")
  org.flowwatch.config.HttpConfig http;

  /** Reads --http HOST:PORT, saying what is wrong with it. */
  static final class HttpAddress implements picocli.CommandLine.ITypeConverter<org.flowwatch.config.HttpConfig> {
    @Override
    public org.flowwatch.config.HttpConfig convert(String value) {
      try {
        return org.flowwatch.config.HttpConfig.parse(value);
      } catch (IllegalArgumentException e) {
        throw new picocli.CommandLine.TypeConversionException(e.getMessage());
      }
    }
  }

  @Option(names = "--trigger-delay", paramLabel = "SECONDS",
      description = "Seconds a run directory must stay unchanged before it starts (watch.trigger_delay).")
  String triggerDelay;

  @Option(names = "--state-dir", paramLabel = "DIR", scope = ScopeType.INHERIT,
      description = "Where the ledger is kept, for the agent and --rundir alike (default:"
          + " $XDG_STATE_HOME/flowwatch).")
  Path stateDirectory;

  @Option(names = "--engine", paramLabel = "ENGINE",
      description = "Where runs execute: globus (the Flows service) or local (this machine: the flow"
          + " definition, local directories, local functions); default: the config's engine, else globus.")
  String engine;

  @Option(names = "--root", paramLabel = "COLLECTION_ID=DIR",
      description = "With the local engine: DIR holds the collection's /; repeatable, wins over the config.")
  List<String> roots = new ArrayList<>();

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

  @Option(names = "--status-poll", hidden = true,
      description = "How often active runs are polled (overrides watch.status_poll; for tests).")
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
    Map<String, String> env = terminal.env();
    if (dryRun) {
      StartOptions options = Options.from(this, false);
      return ExitCode.of(runDirectory != null
          ? new HandStartPreview(terminal.out(), terminal.err(), env, DryRunLint::report).run(options)
          : new WatchPreview(terminal.out(), terminal.err(), env, DryRunLint::report).run(options));
    }
    Engine chosen = engine != null ? Engine.parse(engine) : Options.from(this, false).loadConfig(env).engine();
    if (!roots.isEmpty() && chosen != Engine.LOCAL) {
      throw new UsageException("--root maps collections for the local engine; add --engine local");
    }
    Map<String, Path> mappings = RootMappings.parse(roots);
    StartOptions options = Options.from(this, chosen == Engine.LOCAL);
    if (runDirectory == null) {
      LogSetup.apply(logFormat, logDirectory);
    }
    try (Session session = chosen == Engine.LOCAL
        ? new LocalServices(options.state(env).directory(), cfg -> LocalServices.interpreter(cfg, mappings),
            runDirectory != null ? new StateLines(terminal.err(), false) : RunListener.NONE)
        : GlobusSession.open(terminal)) {
      return ExitCode.of(runDirectory != null
          ? new HandStart(terminal.out(), terminal.err(), env, Clock.systemUTC(), Sleeper.SYSTEM).run(options,
              session)
          : new WatchAgent(terminal.err(), env, Clock.systemUTC()).run(options, session));
    } finally {
      LogSetup.flush();
    }
  }

  private void checkOptions() {
    requireNonEmpty("--config", config);
    requireNonEmpty("--rundir", runDirectory);
    requireNonEmpty("--watchdir", watchDirectory);
    requireNonEmpty("--state-dir", stateDirectory);
    requireNonEmpty("--log-dir", logDirectory);
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
    if (runDirectory != null && (once || pollOnly || logDirectory != null || http != null)) {
      throw new UsageException("--once, --poll, --log-dir and --http work with --watchdir only");
    }
    if (runDirectory == null && (again || force)) {
      throw new UsageException("--again and --force work with --rundir only");
    }
    if (dryRun && (again || force)) {
      throw new UsageException("--again and --force change what a start does, and --dry-run starts nothing;"
          + " use one of them");
    }
    if (engine != null && Engine.parse(engine) == null) {
      throw new UsageException("--engine expects globus or local, got '" + engine + "'");
    }
    if (triggerDelay != null && Durations.parse(triggerDelay) == null) {
      throw new UsageException("--trigger-delay expects seconds (30) or a duration (30s, 2m), got '"
          + triggerDelay + "'");
    }
  }

  /** An empty path would quietly mean the current directory; say so instead. */
  private static void requireNonEmpty(String option, Path value) {
    if (value != null && value.toString().isBlank()) {
      throw new UsageException(option + " needs a path, and the one given is empty (an unset shell variable?)");
    }
  }
}
