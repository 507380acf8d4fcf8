package org.flowwatch.watch;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.flowwatch.config.Config;
import org.flowwatch.config.WatchConfig;
import org.flowwatch.globus.compute.ComputeClient;
import org.flowwatch.globus.flows.FlowsClient;
import org.flowwatch.ledger.Ledger;
import org.flowwatch.ledger.RunRecord;
import org.flowwatch.ledger.RunState;
import org.flowwatch.ledger.Transition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The background agent: a level-triggered loop whose periodic scan of the watch directory is the source
 * of truth, with file-system events only waking it early. It composes the parts that do the work — the
 * {@link RunScan} looks at what can still change, the {@link WatchDirectory} lists and matches names,
 * the {@link ReadinessJudge} decides completeness, the
 * {@link EndpointHolds} hold starts while an endpoint is offline, the {@link StartQueue} starts, the
 * {@link RunPoller} follows — and runs them on one thread, so the ledger sees one writer and no run is
 * handled twice at once. Nothing that goes wrong with one directory or one call stops the loop.
 */
public final class Agent {
  private static final Logger log = LoggerFactory.getLogger(Agent.class);
  /** How long a stop waits for the step in progress before the caller gives up on it. */
  public static final Duration STOP_WITHIN = Duration.ofSeconds(8);

  private final Path root;
  private final TransitionLog ledger;
  private final Services services;
  private final Supplier<Config> configSource;
  private final AgentOptions options;
  private final Clock clock;
  private final Map<String, String> env;
  private final WakeUps wakeups = new WakeUps();
  /** Sends the start requests of the window. */
  private final ExecutorService senders = senders();
  private Parts parts;
  private volatile boolean stopping;
  private volatile Thread loopThread;
  private Instant nextFullScan = Instant.MIN;
  private boolean warmedUp;
  /** {@link TransitionLog#dueWritten()} when the last look found nothing due; -1 when it found some. */
  private long nothingDueAt = -1;
  /** What the passes look at in the watch directory, and the file-system events that wake them. */
  private final RunScan scan;
  /** What the loop reports of itself: metrics, health, the agent.status file. */
  private final org.flowwatch.ops.AgentMetrics metrics;
  /** Names in the watch directory that are not run directories, with why; kept across reloads. */
  private final org.flowwatch.ops.IgnoredNames ignored;
  private final AgentReports reports;

  /**
   * @param configSource reads the config again on SIGHUP ({@link #reload}); its exceptions keep the old one
   */
  public Agent(Path root, Config config, Ledger ledger, Services services, Supplier<Config> configSource,
      AgentOptions options, Clock clock, Map<String, String> env) {
    this.root = root.toAbsolutePath().normalize();
    this.ledger = new TransitionLog(ledger, options.events());
    this.services = services;
    this.configSource = configSource;
    this.options = options;
    this.clock = clock;
    this.env = env;
    this.scan = new RunScan(this.root, this.ledger, clock);
    this.metrics = new org.flowwatch.ops.AgentMetrics(clock);
    this.ignored = new org.flowwatch.ops.IgnoredNames(clock);
    this.reports = new AgentReports(clock, metrics, ignored, this.root);
    this.parts = build(config);
  }

  /** What one config makes of the agent; rebuilt whole when the config is reloaded. */
  private final class Parts {
    final Config config;
    final WatchDirectory directory;
    final ReadinessJudge judge;
    final EndpointHolds holds;
    final StartQueue starts;
    final RunPoller poller;
    /** The flow runs service starts go to; null when the config has a problem. */
    final org.flowwatch.globus.flows.FlowRuns runs;
    /** Why nothing can start with this config, or null. */
    String problem;

    Parts(Config config) {
      this.config = config;
      this.directory = new WatchDirectory(root, config.runDirectory().pattern(), localRoots(config), ignored);
      this.judge = new ReadinessJudge(config.watch(), clock, ignored);
      this.holds = new EndpointHolds(services.compute(config), config.compute().endpoints().values(), clock);
      StartQueue queue = null;
      RunPoller follow = null;
      org.flowwatch.globus.flows.FlowRuns runs = null;
      try {
        org.flowwatch.globus.flows.FlowTarget target = org.flowwatch.globus.flows.FlowTarget.of(config);
        runs = services.flowRuns(config);
        RunLauncher launcher = new RunLauncher(config, env);
        launcher.loadSchema();
        queue = new StartQueue(root, directory::intact, launcher,
            new RunStarter(runs, ledger, clock, options.startGrace()), ledger,
            new StartPacer(config.watch().maxStartsPerMinute()), config.watch().maxActiveRuns(),
            config.watch().concurrentStarts(), senders, clock, metrics);
        follow = new RunPoller(runs, ledger, clock,
            options.statusPoll() != null ? options.statusPoll() : config.watch().statusPoll(), target.flowScope(),
            metrics);
      } catch (org.flowwatch.config.ConfigException | org.flowwatch.input.SchemaException e) {
        problem = e.getMessage();
      }
      this.starts = queue;
      this.poller = follow;
      this.runs = problem == null ? runs : null;
    }
  }

  static java.util.List<Path> localRoots(Config config) {
    return config.collections().values().stream().map(c -> c.localRoot()).filter(java.util.Objects::nonNull)
        .toList();
  }

  private Parts build(Config config) {
    Parts p = new Parts(config);
    metrics.configProblem(p.problem);
    if (p.problem != null) {
      configProblem(p, p.problem);
    }
    return p;
  }

  private void configProblem(Parts p, String problem) {
    p.problem = problem;
    metrics.configProblem(problem);
    log.error("configuration problem: {}; starting nothing until it is fixed and the agent is sent SIGHUP"
        + " (systemctl reload flowwatch@INSTANCE under the shipped unit)", problem);
  }

  /** What the loop reports of itself, for the metrics and health endpoint. */
  public org.flowwatch.ops.AgentMetrics metrics() {
    return metrics;
  }

  /**
   * Has the loop write {@code agent.status} (every few seconds) and {@code ignored.json} (when it changed),
   * for {@code flowwatch status}; {@code http} is where metrics are served, or null.
   */
  public void reportTo(Path statusFile, Path ignoredFile, String http) {
    reports.files(statusFile, ignoredFile, http);
  }

  /** The config in force. */
  public Config config() {
    return parts.config;
  }

  /**
   * Asks the loop to stop now: the wait or call in progress is abandoned (an abandoned start stays
   * STARTING with its token, for the next run to reconcile). Safe from any thread (a shutdown hook).
   */
  public void stop() {
    stopping = true;
    wakeups.nudge();
    services.abandonCalls();
    Thread t = loopThread;
    if (t != null) {
      t.interrupt();
    }
  }

  /** Asks the loop to read the config again before its next scan (SIGHUP). Safe from any thread. */
  public void reload() {
    wakeups.reload();
  }

  /**
   * One full pass: scan everything, start what is ready, poll what is due. For cron (--once).
   *
   * @return why nothing could start, when the config has a problem every run would hit
   */
  public Optional<String> runOnce() {
    pass(true, Set.of());
    reports.stopped();
    return Optional.ofNullable(parts.problem);
  }

  /**
   * Runs until {@link #stop()}. With {@code useEvents}, file-system events wake the loop early; they are
   * started after the first full pass, so a large catch-up is not slowed by registering directories that
   * will be started within seconds (anything that changes in between is caught by the next scan).
   */
  public void run(boolean useEvents) {
    loopThread = Thread.currentThread();
    metrics.loopStarted(parts.config.watch().scanInterval());
    try {
      while (!stopping) {
        WakeUps.Batch batch = wakeups.drain();
        if (batch.reload()) {
          reloadNow();
        }
        boolean full = batch.lost() || !clock.instant().isBefore(nextFullScan);
        parts.judge.touched(batch.keys());
        if (batch.lost()) {
          parts.judge.touched(null);
        }
        pass(full, batch.keys());
        if (useEvents && !scan.watching() && !stopping) {
          useEvents = scan.startEvents(wakeups::touched, parts.judge);
        }
        if (!warmedUp && !stopping) {
          warmedUp = true;
          warmUp(parts);
        }
        if (stopping) {
          break;
        }
        reports.afterPass(parts.config.watch().heartbeat(), () -> ledger.ledger().countByState());
        Instant wakeAt = parts.poller == null ? nextFullScan : min(nextFullScan, parts.poller.nextDue());
        long waitMillis = Math.max(1, Duration.between(clock.instant(), wakeAt).toMillis());
        wakeups.await(Math.min(waitMillis, parts.config.watch().scanInterval().toMillis()));
      }
    } catch (InterruptedException e) {
      if (!stopping) {
        Thread.currentThread().interrupt();
      }
    } finally {
      loopThread = null;
      Thread.interrupted(); // the stop's interrupt must not break the ledger's close
      metrics.loopStopped();
      reports.stopped();
      scan.stopEvents();
    }
  }

  /**
   * Gets the credentials a start needs while nothing waits for them, on a sender thread, once the first
   * pass is over: the first run directory then starts without a token grant in its way, and the HTTP
   * client is loaded and compiled before it counts. A failure is left for the first start to meet and
   * report, as it would without this.
   */
  private void warmUp(Parts p) {
    if (p.runs == null) {
      return;
    }
    senders.execute(() -> {
      try {
        p.runs.authorizeStart();
      } catch (RuntimeException e) {
        log.debug("could not get the credentials for starts ahead of the first one: {}", e.toString());
      }
    });
  }

  private void reloadNow() {
    Config fresh;
    try {
      fresh = configSource.get();
    } catch (RuntimeException e) {
      log.error("cannot reload the configuration: {}; keeping the previous configuration", e.getMessage());
      return;
    }
    ignored.reset(); // another pattern may ignore other names: the next listing notes them again
    parts = build(fresh);
    if (!scan.eventsFit(parts.judge)) {
      scan.stopEvents(); // the loop starts them again, as this config needs them, and walks every tree
    }
    metrics.scanInterval(fresh.watch().scanInterval());
    nextFullScan = Instant.MIN;
    log.info("configuration reloaded from {}", fresh.file());
  }

  private void pass(boolean full, Set<String> keys) {
    Parts p = parts;
    try {
      if (full) {
        long began = System.nanoTime();
        scan.all(p.directory, p.judge);
        metrics.scanned(Duration.ofNanos(System.nanoTime() - began));
        nextFullScan = clock.instant().plus(p.config.watch().scanInterval());
      } else if (!keys.isEmpty()) {
        scan.some(p.directory, p.judge, keys);
      }
      if (!stopping) {
        startReady(p, full);
      }
      if (!stopping && p.poller != null) {
        p.poller.pollDue(() -> ledger.ledger().inStates(RunState.FOLLOWED));
      }
    } catch (RuntimeException e) {
      if (stopping) {
        return; // an abandoned call: its row says where it got to
      }
      // A bug or a broken ledger: say so loudly, keep the agent alive, try again next pass.
      metrics.passFailed(e.toString());
      log.error("agent pass failed; will retry: {}", e.toString(), e);
    }
  }

  /**
   * Starts what is due. When the last look found nothing due and this process has written no row into
   * a due state since, only a full pass looks again: what another process makes READY (a retry) waits
   * for the next scan, as the README says, and a pass woken by an event in a settling tree reads nothing.
   */
  private void startReady(Parts p, boolean full) {
    if (!full && ledger.dueWritten() == nothingDueAt) {
      return;
    }
    List<RunRecord> due = ledger.ledger().inStates(TransitionLog.DUE);
    if (due.isEmpty()) {
      nothingDueAt = ledger.dueWritten();
      return;
    }
    nothingDueAt = -1;
    List<RunRecord> ready = due.stream().filter(r -> r.state() == RunState.READY).toList();
    List<RunRecord> held = due.stream().filter(r -> r.state() == RunState.HELD).toList();
    List<Transition> moves = p.holds.moves(ready, held);
    if (!moves.isEmpty()) {
      ledger.applyAll(moves);
      due = ledger.ledger().inStates(EnumSet.of(RunState.STARTING, RunState.READY));
    }
    List<RunRecord> queue = due.stream().filter(r -> r.state() != RunState.HELD).toList();
    if (p.starts == null || queue.isEmpty() || p.problem != null) {
      return;
    }
    try {
      for (StartOutcome o : p.starts.drain(queue, ledger.ledger().count(RunState.IN_FLIGHT), () -> stopping)) {
        if (o.kind() == StartOutcome.Kind.STARTED && o.row() != null) {
          p.poller.started();
        }
      }
    } catch (ConfigProblem e) {
      configProblem(p, e.getMessage());
    }
  }

  /** How many times the watch directory was listed, for tests. */
  long listings() {
    return parts.directory.listings();
  }

  /** The run directories file-system events are watched on now, for tests. */
  Set<String> watchedDirectories() {
    return scan.watched();
  }

  /** Whether the writes of files in run directories are events now, for tests. */
  boolean writesAreEvents() {
    return scan.writesAreEvents();
  }

  /** How many times a run directory began to be watched since the events started, for tests. */
  long directoriesWatched() {
    return scan.watchesBegun();
  }

  /**
   * A thread for each request that finds none idle, each gone after a minute without work. No bound of
   * its own: the start window is what bounds the requests out (at most {@code MAX_CONCURRENT_STARTS}),
   * and a handoff that finds every thread busy for a moment (one that delivered its answer and is not
   * back yet) makes one more thread instead of refusing the request.
   */
  private static ThreadPoolExecutor senders() {
    return new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
      Thread t = new Thread(r, "flowwatch-start");
      t.setDaemon(true);
      return t;
    });
  }

  private static Instant min(Instant a, Instant b) {
    return a.isBefore(b) ? a : b;
  }
}
