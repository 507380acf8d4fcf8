package org.flowwatch.watch;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.flowwatch.config.Config;
import org.flowwatch.globus.FlowsClient;
import org.flowwatch.ledger.Ledger;
import org.flowwatch.ledger.RunRecord;
import org.flowwatch.ledger.RunState;
import org.flowwatch.ledger.Transition;
import org.flowwatch.run.Readiness;
import org.flowwatch.run.RunDirectoryException;
import org.flowwatch.run.TreeSnapshot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The background agent: a level-triggered loop whose periodic scan of the watch directory is the source of
 * truth, with file-system events only waking it early. One thread does everything (scan, start, poll), so
 * the ledger sees one writer and no run is handled twice at once. Nothing that goes wrong with one
 * directory or one call stops the loop.
 */
public final class Agent {
  private static final Logger log = LoggerFactory.getLogger(Agent.class);
  private static final Set<RunState> TO_EVALUATE = EnumSet.of(RunState.SEEN, RunState.SETTLING);

  private final Path root;
  private final Config config;
  private final AgentOptions options;
  private final Clock clock;
  private final TransitionLog ledger;
  private final Readiness readiness;
  private final StartPacer pacer;
  private final RunStarter starter;
  private final RunPoller poller;
  private final WatchDirectory watchDirectory;
  private final LinkedBlockingQueue<String> wakeups = new LinkedBlockingQueue<>();
  private final Set<String> reported = new HashSet<>();
  private volatile boolean stopping;
  private Instant nextFullScan = Instant.MIN;

  public Agent(Path root, Config config, Ledger ledger, FlowsClient flows, AgentOptions options, Clock clock,
      Map<String, String> env) {
    this.root = root.toAbsolutePath().normalize();
    this.config = config;
    this.options = options;
    this.clock = clock;
    this.ledger = new TransitionLog(ledger);
    this.readiness = new Readiness(config.watch());
    this.pacer = new StartPacer(config.watch().maxStartsPerMinute());
    RunLauncher launcher = new RunLauncher(config, env);
    this.starter = new RunStarter(this.root, launcher, RunLauncher.flowId(config), flows, this.ledger, pacer, options,
        clock);
    this.poller = new RunPoller(flows, this.ledger, pacer, options, clock, RunLauncher.flowScope(config));
    this.watchDirectory = new WatchDirectory(this.root, config.runDirectory().pattern());
  }

  /** Asks the loop to finish what it is doing and return. Safe from any thread (a shutdown hook). */
  public void stop() {
    stopping = true;
    wakeups.offer(DirectoryEvents.EVERYTHING);
  }

  /**
   * Starts file-system events that wake the loop early; the caller closes them. Throws when the watcher
   * cannot start (for example the inotify watch limit), in which case the agent still works by polling.
   */
  public DirectoryEvents listen() throws IOException {
    return DirectoryEvents.start(root, this::wake);
  }

  /** Hands the loop a key an event touched ({@code ""} for "scan everything"). */
  void wake(String key) {
    wakeups.offer(key);
  }

  /** One full pass: scan everything, start what is ready, poll what is due. For cron (--once). */
  public void runOnce() {
    pass(true, Set.of());
  }

  /** Runs until {@link #stop()}; events (if any) come from {@link DirectoryEvents} started by the caller. */
  public void run() throws InterruptedException {
    while (!stopping) {
      Instant now = clock.instant();
      boolean full = !now.isBefore(nextFullScan);
      Set<String> keys = new HashSet<>();
      for (String k; (k = wakeups.poll()) != null; ) {
        if (k.equals(DirectoryEvents.EVERYTHING)) {
          full = true;
        } else {
          keys.add(k);
        }
      }
      pass(full, keys);
      if (stopping) {
        break;
      }
      Instant wakeAt = min(nextFullScan, poller.nextDue());
      long waitMillis = Math.max(1, Duration.between(clock.instant(), wakeAt).toMillis());
      String first = wakeups.poll(Math.min(waitMillis, config.watch().scanInterval().toMillis()),
          TimeUnit.MILLISECONDS);
      if (first != null) {
        wakeups.offer(first);
      }
    }
  }

  private void pass(boolean full, Set<String> keys) {
    try {
      if (full) {
        scanAll();
        nextFullScan = clock.instant().plus(config.watch().scanInterval());
      } else if (!keys.isEmpty()) {
        scanSome(keys);
      }
      startReady();
      if (!stopping) {
        poller.pollDue(ledger.ledger().inStates(EnumSet.of(RunState.ACTIVE, RunState.INACTIVE)));
      }
    } catch (RuntimeException e) {
      // A bug or a broken ledger: say so loudly, keep the agent alive, try again next pass.
      log.error("agent pass failed; will retry: {}", e.toString(), e);
    }
  }

  private void scanAll() {
    Map<String, Path> present = watchDirectory.runDirectories();
    Map<String, RunRecord> rows = new HashMap<>();
    for (RunRecord r : ledger.ledger().all()) {
      rows.put(r.key(), r);
    }
    evaluate(present, rows);
    for (RunRecord r : rows.values()) {
      if (TO_EVALUATE.contains(r.state()) && !present.containsKey(r.key()) && reported.add("vanished:" + r.key())) {
        log.info("{}: run directory vanished before it was complete; ignoring it until it comes back", r.key());
        readiness.forget(r.key());
      }
    }
  }

  private void scanSome(Set<String> keys) {
    Map<String, Path> present = new LinkedHashMap<>();
    for (String key : keys) {
      Path dir = root.resolve(key);
      if (watchDirectory.accept(key, dir)) {
        present.put(key, dir);
      }
    }
    Map<String, RunRecord> rows = new HashMap<>();
    for (String key : present.keySet()) {
      ledger.ledger().get(key).ifPresent(r -> rows.put(key, r));
    }
    evaluate(present, rows);
  }

  private void evaluate(Map<String, Path> present, Map<String, RunRecord> rows) {
    List<Transition> seen = new ArrayList<>();
    for (String key : present.keySet()) {
      if (!rows.containsKey(key)) {
        seen.add(Transition.of(key, RunState.SEEN).reason("new run directory"));
      }
    }
    for (RunRecord r : ledger.applyAll(seen)) {
      rows.put(r.key(), r);
    }
    List<Transition> changes = new ArrayList<>();
    long now = System.nanoTime();
    for (Map.Entry<String, Path> e : present.entrySet()) {
      RunRecord row = rows.get(e.getKey());
      try {
        Transition t = judge(row, e.getValue(), now);
        if (t != null) {
          changes.add(t);
        }
      } catch (RunDirectoryException ex) {
        if (reported.add("unreadable:" + e.getKey())) {
          log.warn("{}: {}", e.getKey(), ex.getMessage());
        }
      }
    }
    ledger.applyAll(changes);
  }

  /** The transition a scan implies for one present directory, or null. */
  private Transition judge(RunRecord row, Path dir, long now) {
    String key = row.key();
    switch (row.state()) {
      case SEEN, SETTLING -> {
        Readiness.Verdict v = readiness.evaluate(key, dir, now);
        reported.remove("vanished:" + key);
        if (v.ready()) {
          readiness.forget(key);
          return Transition.of(key, RunState.READY).from(row.state()).reason(v.reason());
        }
        return row.state() == RunState.SEEN
            ? Transition.of(key, RunState.SETTLING).from(RunState.SEEN).reason(v.reason()) : null;
      }
      case INVALID -> {
        String fingerprint = TreeSnapshot.take(dir, null).fingerprint();
        return fingerprint.equals(row.fingerprint()) ? null
            : Transition.of(key, RunState.SETTLING).from(RunState.INVALID).clearError()
                .reason("the directory changed since it was found invalid; looking again");
      }
      default -> {
        return null;
      }
    }
  }

  private void startReady() {
    List<RunRecord> queue = ledger.ledger().inStates(EnumSet.of(RunState.STARTING, RunState.READY));
    int inFlight = ledger.ledger().count(RunState.IN_FLIGHT);
    for (RunRecord row : queue) {
      Instant now = clock.instant();
      if (stopping || pacer.paused(now)) {
        return;
      }
      if (row.notBefore() != null && now.isBefore(row.notBefore())) {
        continue;
      }
      if (row.state() == RunState.STARTING) {
        starter.reconcile(row);
        continue;
      }
      if (inFlight >= config.watch().maxActiveRuns() || !pacer.tryAcquire(now)) {
        return;
      }
      starter.start(row);
      ledger.ledger().get(row.key()).filter(r -> r.state() == RunState.ACTIVE)
          .ifPresent(r -> poller.started(r.key()));
      inFlight++;
    }
  }

  private static Instant min(Instant a, Instant b) {
    return a.isBefore(b) ? a : b;
  }
}
