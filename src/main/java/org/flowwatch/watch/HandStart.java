package org.flowwatch.watch;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.flowwatch.config.Config;
import org.flowwatch.globus.flows.FlowRun;
import org.flowwatch.globus.flows.FlowRuns;
import org.flowwatch.globus.flows.FlowTarget;
import org.flowwatch.globus.Sleeper;
import org.flowwatch.input.InputDocument;
import org.flowwatch.ledger.Ledger;
import org.flowwatch.ledger.RunRecord;
import org.flowwatch.ledger.RunState;
import org.flowwatch.ledger.Transition;
import org.flowwatch.run.RunDirectoryException;

/**
 * {@code --rundir DIR}: one run started by hand, through the same ledger and the same exactly-once rule
 * as the agent's starts, so no agent starts that directory again. The directory's parent is its watch
 * root and its name the key. It must be ready by the configured policies unless forced, and not already
 * started unless asked again.
 */
public final class HandStart {
  static final String BY = "hand (--rundir)";

  private final PrintWriter out;
  private final PrintWriter err;
  private final Map<String, String> env;
  private final Clock clock;
  private final Sleeper sleeper;

  public HandStart(PrintWriter out, PrintWriter err, Map<String, String> env, Clock clock, Sleeper sleeper) {
    this.out = out;
    this.err = err;
    this.env = env;
    this.clock = clock;
    this.sleeper = sleeper;
  }

  public Outcome run(StartOptions options, Services services) throws InterruptedException {
    Config cfg = options.loadConfig(env);
    RunLauncher launcher = new RunLauncher(cfg, env);
    InputDocument doc = launcher.prepare(options.runDir());
    if (!doc.isValid()) {
      HandStartPreview.printViolations(err, cfg, doc);
      return Outcome.INVALID;
    }
    FlowTarget target = FlowTarget.of(cfg); // no flow id: a config error before credentials are asked for
    FlowRuns runs = services.flowRuns(cfg);
    // The key and the watch root are the path as given, as the agent names it (its name in the watch
    // directory), so a run directory that is a link inside the root keeps one ledger row; the ledger
    // compares watch roots by their real paths, and RunFacts has checked where the link leads.
    Path dir = options.runDir().toAbsolutePath().normalize();
    realPath(dir);
    String key = dir.getFileName().toString();
    Path ledgerFile = options.state(env).ledger();
    try (Ledger ledger = Ledger.open(ledgerFile, dir.getParent(), clock)) {
      TransitionLog log = new TransitionLog(ledger);
      RunStarter starter = new RunStarter(runs, log, clock, options.agent().startGrace());
      RunRecord row = ledger.get(key).orElse(null);
      if (row != null && row.state() == RunState.STARTING) {
        row = reconcile(starter, row);
        if (row == null) {
          return Outcome.ALREADY_STARTED;
        }
      }
      if (row != null && RunState.STARTED.contains(row.state()) && !options.again()) {
        err.println("flowwatch: " + key + " is already " + row.state() + " in the ledger " + ledgerFile
            + (row.runId() == null ? "" : " (run " + row.runId() + ", " + runs.pageOf(UUID.fromString(row.runId()))
                + ")")
            + "; nothing was started. Pass --again to transfer it once more.");
        return Outcome.ALREADY_STARTED;
      }
      if (!options.force()) {
        Optional<String> why = new HandReadiness(cfg.watch(), clock, sleeper).notReady(key, dir, row,
            delay -> err.println("waiting " + delay.toSeconds() + "s to see that " + key
                + " is no longer changing (watch.trigger_delay)"));
        if (why.isPresent()) {
          err.println("flowwatch: " + dir + " is not ready to start: " + why.get() + ". Start it once it is"
              + " complete, or pass --force to start it as it is.");
          return Outcome.NOT_READY;
        }
      }
      runs.authorizeStart(); // refused credentials leave the ledger as it was
      err.println("starting '" + doc.label() + "' (flow " + target.flowId() + ")");
      StartOutcome started = starter.start(key, row == null ? null : row.state(), launcher.request(doc), dir, BY,
          options.again() && row != null);
      switch (started.kind()) {
        case STARTED -> {
          printStarted(runs, started.run());
          return options.waitForRun() ? follow(log, runs, target, started.run(), options.waitInterval())
              : Outcome.OK;
        }
        case MOVED -> {
          err.println("flowwatch: " + key + " was started by someone else at the same moment (an agent?);"
              + " see 'flowwatch status " + key + "'");
          return Outcome.ALREADY_STARTED;
        }
        default -> throw started.error();
      }
    }
  }

  /**
   * A row left STARTING by a start whose answer was lost: the run found by its token, or the row READY
   * again when none carries it. Null when it cannot be settled yet.
   */
  private RunRecord reconcile(RunStarter starter, RunRecord row) {
    StartOutcome o = starter.reconcile(row);
    switch (o.kind()) {
      case STARTED, NOT_STARTED -> {
        return o.row();
      }
      default -> {
        err.println("flowwatch: " + row.key() + " has a start in progress or one whose answer was lost (token "
            + row.token() + "); nothing was started. Try again after "
            + (o.row() != null && o.row().notBefore() != null ? o.row().notBefore() : "a minute")
            + ", when it has been looked up at the service.");
        return null;
      }
    }
  }

  private void printStarted(FlowRuns runs, FlowRun run) {
    out.println(run.runId());
    out.println(runs.pageOf(run.runId()));
    out.flush();
  }

  /** Follows the run to its end on stderr and records the end in the ledger. */
  private Outcome follow(TransitionLog log, FlowRuns runs, FlowTarget target, FlowRun run, Duration interval)
      throws InterruptedException {
    RunFollower follower = new RunFollower(runs, sleeper, interval, Duration.ofSeconds(60));
    FlowRun end = follower.follow(run.runId(), r -> {
      err.println(Instant.now().truncatedTo(ChronoUnit.SECONDS) + " " + r.status()
          + (r.detailsCode() == null ? "" : " (" + r.detailsCode() + ")")
          + (r.detailsDescription() == null ? "" : ": " + r.detailsDescription()));
      String hint = r.consentHint(target.flowScope());
      if (hint != null) {
        err.println("  the run waits for consent; " + hint);
      }
      err.flush();
    });
    for (RunRecord r : log.ledger().inStates(RunState.FOLLOWED)) {
      if (run.runId().toString().equals(r.runId())) {
        log.apply(Transition.of(r.key(), RunPoller.stateOf(end)).from(r.state()).reason(end.status()
            + (end.detailsCode() == null ? "" : " (" + end.detailsCode() + ")") + ", seen by --wait"));
      }
    }
    return end.isSucceeded() ? Outcome.OK : Outcome.RUN_FAILED;
  }

  private static Path realPath(Path dir) {
    try {
      return dir.toRealPath();
    } catch (IOException e) {
      throw new RunDirectoryException("Run directory " + dir + " cannot be resolved: " + e.getMessage() + ".", e);
    }
  }
}
