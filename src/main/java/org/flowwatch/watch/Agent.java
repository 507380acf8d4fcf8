package org.flowwatch.watch;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.flowwatch.config.Config;
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
 * {@link WatchDirectory} lists and matches names, the {@link ReadinessJudge} decides completeness, the
 * {@link EndpointHolds} hold starts while an endpoint is offline, the {@link StartQueue} starts, the
 * {@link RunPoller} follows — and runs them on one thread, so the ledger sees one writer and no run is
 * handled twice at once. Nothing that goes wrong with one directory or one call stops the loop.
 */
public final class Agent {
  private static final Logger log = LoggerFactory.getLogger(Agent.class);
  private static final Set<RunState> LOOKED_AT = EnumSet.of(RunState.SEEN, RunState.SETTLING, RunState.INVALID);
  private static final Set<RunState> SETTLING = EnumSet.of(RunState.SEEN, RunState.SETTLING);
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
  private Parts parts;
  private volatile boolean stopping;
  private volatile Thread loopThread;
  private Instant nextFullScan = Instant.MIN;

  /**
   * @param configSource reads the config again on SIGHUP ({@link #reload}); its exceptions keep the old one
   */
  public Agent(Path root, Config config, Ledger ledger, Services services, Supplier<Config> configSource,
      AgentOptions options, Clock clock, Map<String, String> env) {
    this.root = root.toAbsolutePath().normalize();
    this.ledger = new TransitionLog(ledger);
    this.services = services;
    this.configSource = configSource;
    this.options = options;
    this.clock = clock;
    this.env = env;
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
    /** Why nothing can start with this config, or null. */
    String problem;

    Parts(Config config) {
      this.config = config;
      this.directory = new WatchDirectory(root, config.runDirectory().pattern(), localRoots(config));
      this.judge = new ReadinessJudge(config.watch(), clock);
      this.holds = new EndpointHolds(services.compute(config), config.compute().endpoints().values(), clock);
      StartQueue queue = null;
      RunPoller follow = null;
      try {
        org.flowwatch.globus.flows.FlowTarget target = org.flowwatch.globus.flows.FlowTarget.of(config);
        org.flowwatch.globus.flows.FlowRuns runs = services.flowRuns(config);
        RunLauncher launcher = new RunLauncher(config, env);
        launcher.loadSchema();
        queue = new StartQueue(root, directory::intact, launcher, new RunStarter(runs, ledger, clock, options.startGrace()), ledger,
            new StartPacer(config.watch().maxStartsPerMinute()), config.watch().maxActiveRuns(), clock);
        follow = new RunPoller(runs, ledger, clock,
            options.statusPoll() != null ? options.statusPoll() : config.watch().statusPoll(), target.flowScope());
      } catch (org.flowwatch.config.ConfigException | org.flowwatch.input.SchemaException e) {
        problem = e.getMessage();
      }
      this.starts = queue;
      this.poller = follow;
    }
  }

  static java.util.List<Path> localRoots(Config config) {
    return config.collections().values().stream().map(c -> c.localRoot()).filter(java.util.Objects::nonNull)
        .toList();
  }

  private Parts build(Config config) {
    Parts p = new Parts(config);
    if (p.problem != null) {
      configProblem(p, p.problem);
    }
    return p;
  }

  private static void configProblem(Parts p, String problem) {
    p.problem = problem;
    log.error("configuration problem: {}; starting nothing until it is fixed and the agent is sent SIGHUP"
        + " (systemctl reload flowwatch)", problem);
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
    return Optional.ofNullable(parts.problem);
  }

  /**
   * Runs until {@link #stop()}. With {@code events}, file-system events wake the loop early; they are
   * started after the first full pass, so a large catch-up is not slowed by the watcher registering
   * every directory (anything that changes in between is caught by the next scan).
   */
  public void run(boolean events) {
    loopThread = Thread.currentThread();
    DirectoryEvents watcher = null;
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
        if (events && watcher == null && !stopping) {
          watcher = startEvents();
          events = watcher != null;
        }
        if (stopping) {
          break;
        }
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
      if (watcher != null) {
        watcher.close();
      }
    }
  }

  private void reloadNow() {
    Config fresh;
    try {
      fresh = configSource.get();
    } catch (RuntimeException e) {
      log.error("cannot reload the configuration: {}; keeping the previous configuration", e.getMessage());
      return;
    }
    parts = build(fresh);
    nextFullScan = Instant.MIN;
    log.info("configuration reloaded from {}", fresh.file());
  }

  private DirectoryEvents startEvents() {
    try {
      DirectoryEvents watcher = DirectoryEvents.start(root, wakeups::touched);
      parts.judge.eventsLive();
      return watcher;
    } catch (IOException | RuntimeException e) {
      log.warn("cannot watch for file-system events ({}); polling only", e.getMessage());
      return null;
    }
  }

  private void pass(boolean full, Set<String> keys) {
    Parts p = parts;
    try {
      if (full) {
        scanAll(p);
        nextFullScan = clock.instant().plus(p.config.watch().scanInterval());
      } else if (!keys.isEmpty()) {
        scanSome(p, keys);
      }
      if (!stopping) {
        startReady(p);
      }
      if (!stopping && p.poller != null) {
        p.poller.pollDue(() -> ledger.ledger().inStates(RunState.FOLLOWED));
      }
    } catch (RuntimeException e) {
      if (stopping) {
        return; // an abandoned call: its row says where it got to
      }
      // A bug or a broken ledger: say so loudly, keep the agent alive, try again next pass.
      log.error("agent pass failed; will retry: {}", e.toString(), e);
    }
  }

  private void scanAll(Parts p) {
    Map<String, Ledger.Brief> rows = ledger.ledger().briefs();
    Map<String, Path> present = new LinkedHashMap<>();
    for (Map.Entry<String, Path> e : p.directory.matchingNames().entrySet()) {
      Ledger.Brief row = rows.get(e.getKey());
      // A directory whose run started or ended needs no look (and no stat): only its presence matters.
      // Nor does one still settling that no event touched: its deletion would have been an event too.
      boolean look = row == null || LOOKED_AT.contains(row.state());
      if (look && (p.judge.trusted(e.getKey()) || p.directory.accept(e.getKey(), e.getValue()))) {
        present.put(e.getKey(), e.getValue());
      }
    }
    evaluate(p, present, ledger.ledger().inStates(LOOKED_AT), rows.keySet());
    for (Map.Entry<String, Ledger.Brief> r : rows.entrySet()) {
      if (SETTLING.contains(r.getValue().state()) && !present.containsKey(r.getKey())) {
        p.judge.vanished(r.getKey());
      }
    }
    p.judge.fullScanDone();
  }

  private void scanSome(Parts p, Set<String> keys) {
    Map<String, Path> present = new LinkedHashMap<>();
    List<RunRecord> rows = new ArrayList<>();
    Set<String> known = new java.util.HashSet<>();
    for (String key : keys) {
      Path dir = root.resolve(key);
      if (p.directory.accept(key, dir)) {
        present.put(key, dir);
        ledger.ledger().get(key).ifPresent(r -> {
          known.add(key);
          if (LOOKED_AT.contains(r.state())) {
            rows.add(r);
          }
        });
      }
    }
    evaluate(p, present, rows, known);
  }

  /**
   * Records new directories as SEEN and applies what the judge makes of the present ones.
   *
   * @param looked the rows of present keys in a state a scan looks into
   * @param known every key the ledger has
   */
  private void evaluate(Parts p, Map<String, Path> present, List<RunRecord> looked, Set<String> known) {
    Map<String, RunRecord> rows = new HashMap<>();
    for (RunRecord r : looked) {
      rows.put(r.key(), r);
    }
    List<Transition> seen = new ArrayList<>();
    for (String key : present.keySet()) {
      if (!rows.containsKey(key) && !known.contains(key)) {
        seen.add(Transition.of(key, RunState.SEEN).onlyIfNew().reason("new run directory"));
      }
    }
    for (RunRecord r : ledger.applyAll(seen)) {
      rows.put(r.key(), r);
    }
    present.keySet().retainAll(rows.keySet());
    ledger.applyAll(p.judge.judge(present, rows));
  }

  private void startReady(Parts p) {
    ledger.applyAll(p.holds.moves(ledger.ledger().inStates(EnumSet.of(RunState.READY)),
        ledger.ledger().inStates(EnumSet.of(RunState.HELD))));
    if (p.starts == null) {
      return;
    }
    List<RunRecord> queue = ledger.ledger().inStates(EnumSet.of(RunState.STARTING, RunState.READY));
    if (queue.isEmpty() || p.problem != null) {
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

  private static Instant min(Instant a, Instant b) {
    return a.isBefore(b) ? a : b;
  }
}
