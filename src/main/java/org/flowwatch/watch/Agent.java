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
import org.flowwatch.globus.compute.ComputeClient;
import org.flowwatch.globus.flows.FlowsClient;
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
  /** States a scan looks into; the others only need the directory to exist. */
  private static final Set<RunState> LOOKED_AT = EnumSet.of(RunState.SEEN, RunState.SETTLING, RunState.INVALID);

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
  private final EndpointGate gate;
  private final LinkedBlockingQueue<String> wakeups = new LinkedBlockingQueue<>();
  /** Keys events touched since their last look; only meaningful while events are trusted. */
  private final Set<String> touched = new HashSet<>();
  /** When each settling directory was last walked (System.nanoTime), to bound how long events are trusted. */
  private final Map<String, Long> walked = new HashMap<>();
  private boolean eventsLive;
  private boolean eventsLost;
  private final Set<String> reported = new HashSet<>();
  private volatile boolean stopping;
  private Instant nextFullScan = Instant.MIN;

  public Agent(Path root, Config config, Ledger ledger, FlowsClient flows, AgentOptions options, Clock clock,
      Map<String, String> env) {
    this(root, config, ledger, flows, null, options, clock, env);
  }

  /**
   * @param compute checks the config's Compute endpoints before starts; null for none
   */
  public Agent(Path root, Config config, Ledger ledger, FlowsClient flows, ComputeClient compute,
      AgentOptions options, Clock clock, Map<String, String> env) {
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
    this.gate = new EndpointGate(compute, config.compute().endpoints().values(), clock);
  }

  /** Asks the loop to finish what it is doing and return. Safe from any thread (a shutdown hook). */
  public void stop() {
    stopping = true;
    wakeups.offer(NUDGE);
  }

  /** Hands the loop a key an event touched ({@code ""}: events were lost, look at everything). */
  void wake(String key) {
    wakeups.offer(key.isEmpty() ? LOST : key);
  }

  /** A wake-up from events that were lost (overflow): the next scan walks every tree. */
  private static final String LOST = "\u0000lost";
  /** A wake-up that only makes the loop look at its stop flag and schedule. */
  private static final String NUDGE = "\u0000nudge";
  /** Events are trusted for at most this long: then every settling tree is walked anyway. */
  private static final Duration TRUST_EVENTS_FOR = Duration.ofMinutes(5);

  /** One full pass: scan everything, start what is ready, poll what is due. For cron (--once). */
  public void runOnce() {
    pass(true, Set.of());
  }

  /**
   * Runs until {@link #stop()}. With {@code events}, file-system events wake the loop early; they are
   * started after the first full pass, so a large catch-up is not slowed by the watcher registering
   * every directory (anything that changes in between is caught by the next scan).
   */
  public void run(boolean events) throws InterruptedException {
    DirectoryEvents watcher = null;
    try {
      while (!stopping) {
        Instant now = clock.instant();
        boolean full = !now.isBefore(nextFullScan);
        Set<String> keys = new HashSet<>();
        for (String k; (k = wakeups.poll()) != null; ) {
          if (k.equals(LOST)) {
            full = true;
            eventsLost = true;
          } else if (!k.equals(NUDGE)) {
            keys.add(k);
          }
        }
        touched.addAll(keys);
        pass(full, keys);
        if (events && watcher == null && !stopping) {
          watcher = startEvents();
          events = watcher != null;
        }
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
    } finally {
      if (watcher != null) {
        watcher.close();
      }
    }
  }

  private DirectoryEvents startEvents() {
    try {
      DirectoryEvents watcher = DirectoryEvents.start(root, this::wake);
      eventsLive = true;
      return watcher;
    } catch (IOException | RuntimeException e) {
      log.warn("cannot watch for file-system events ({}); polling only", e.toString());
      return null;
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
    Map<String, Ledger.Brief> rows = ledger.ledger().briefs();
    Map<String, Path> present = new LinkedHashMap<>();
    long now = System.nanoTime();
    for (Map.Entry<String, Path> e : watchDirectory.matchingNames().entrySet()) {
      Ledger.Brief row = rows.get(e.getKey());
      // A directory whose run started or ended needs no look (and no stat): only its presence matters.
      // Nor does one still settling that no event touched: its deletion would have been an event too.
      boolean look = row == null || LOOKED_AT.contains(row.state());
      if (look && (trusted(e.getKey(), now) || watchDirectory.accept(e.getKey(), e.getValue()))) {
        present.put(e.getKey(), e.getValue());
      }
    }
    evaluate(present, rows);
    for (Map.Entry<String, Ledger.Brief> r : rows.entrySet()) {
      String key = r.getKey();
      if (TO_EVALUATE.contains(r.getValue().state()) && !present.containsKey(key) && reported.add("vanished:" + key)) {
        log.info("{}: run directory vanished before it was complete; ignoring it until it comes back", key);
        readiness.forget(key);
        walked.remove(key);
      }
    }
    eventsLost = false;
  }

  private void scanSome(Set<String> keys) {
    Map<String, Path> present = new LinkedHashMap<>();
    for (String key : keys) {
      Path dir = root.resolve(key);
      if (watchDirectory.accept(key, dir)) {
        present.put(key, dir);
      }
    }
    Map<String, Ledger.Brief> rows = new HashMap<>();
    for (String key : present.keySet()) {
      ledger.ledger().get(key).ifPresent(r -> rows.put(key, new Ledger.Brief(r.state(), r.fingerprint())));
    }
    evaluate(present, rows);
  }

  private void evaluate(Map<String, Path> present, Map<String, Ledger.Brief> rows) {
    List<Transition> seen = new ArrayList<>();
    for (String key : present.keySet()) {
      if (!rows.containsKey(key)) {
        seen.add(Transition.of(key, RunState.SEEN).reason("new run directory"));
      }
    }
    for (RunRecord r : ledger.applyAll(seen)) {
      rows.put(r.key(), new Ledger.Brief(r.state(), r.fingerprint()));
    }
    List<Transition> changes = new ArrayList<>();
    long now = System.nanoTime();
    Map<String, TreeSnapshot> walks = preWalk(present, rows, now);
    for (Map.Entry<String, Path> e : present.entrySet()) {
      String key = e.getKey();
      try {
        Transition t = judge(key, rows.get(key), e.getValue(), now, walks.get(key));
        if (t != null) {
          changes.add(t);
        }
      } catch (RunDirectoryException ex) {
        if (reported.add("unreadable:" + key)) {
          log.warn("{}: {}", key, ex.getMessage());
        }
      }
      touched.remove(key);
    }
    ledger.applyAll(changes);
  }

  /**
   * Walks, on every core, the trees this pass must walk, when there are many (a catch-up after start or
   * downtime): the walks are independent, and one thread would leave a core idle while the backlog waits.
   */
  private Map<String, TreeSnapshot> preWalk(Map<String, Path> present, Map<String, Ledger.Brief> rows, long now) {
    List<Map.Entry<String, Path>> due = new ArrayList<>();
    for (Map.Entry<String, Path> e : present.entrySet()) {
      Ledger.Brief row = rows.get(e.getKey());
      if (row != null && TO_EVALUATE.contains(row.state()) && !trusted(e.getKey(), now)) {
        due.add(e);
      }
    }
    if (due.size() < 64) {
      return Map.of();
    }
    Map<String, TreeSnapshot> out = new java.util.concurrent.ConcurrentHashMap<>();
    due.parallelStream().forEach(e -> {
      try {
        out.put(e.getKey(), readiness.snapshot(e.getValue()));
      } catch (RunDirectoryException ex) {
        // judged again below, one by one, where the problem is reported
      }
    });
    for (Map.Entry<String, Path> e : due) {
      walked.put(e.getKey(), now);
    }
    return out;
  }

  /**
   * Whether the directory's last snapshot can stand in for a new walk: events are live and none was
   * lost, none touched this directory since, and it was walked recently.
   */
  private boolean untouched(String key, long now) {
    boolean trusted = trusted(key, now);
    if (!trusted) {
      walked.put(key, now);
    }
    return trusted;
  }

  private boolean trusted(String key, long now) {
    Long last = walked.get(key);
    return eventsLive && !eventsLost && !touched.contains(key) && last != null
        && now - last < TRUST_EVENTS_FOR.toNanos();
  }

  /** The transition a scan implies for one present directory, or null. */
  private Transition judge(String key, Ledger.Brief row, Path dir, long now, TreeSnapshot fresh) {
    switch (row.state()) {
      case SEEN, SETTLING -> {
        Readiness.Verdict v = fresh != null ? readiness.evaluate(key, dir, now, fresh)
            : readiness.evaluate(key, dir, now, untouched(key, now));
        reported.remove("vanished:" + key);
        if (v.ready()) {
          readiness.forget(key);
          walked.remove(key);
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
    holdOrRelease();
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

  /** Moves READY runs to HELD while an endpoint is offline, and HELD runs back once all are online. */
  private void holdOrRelease() {
    boolean waiting = ledger.ledger().count(EnumSet.of(RunState.READY, RunState.HELD)) > 0;
    if (!waiting) {
      return;
    }
    java.util.Optional<String> blocker = gate.blocker();
    RunState from = blocker.isPresent() ? RunState.READY : RunState.HELD;
    List<Transition> moves = new ArrayList<>();
    for (RunRecord r : ledger.ledger().inStates(EnumSet.of(from))) {
      moves.add(blocker.isPresent()
          ? Transition.of(r.key(), RunState.HELD).from(RunState.READY).error(blocker.get()).reason(blocker.get())
          : Transition.of(r.key(), RunState.READY).from(RunState.HELD).clearError()
              .reason("Compute endpoints are online again"));
    }
    ledger.applyAll(moves);
  }

  private static Instant min(Instant a, Instant b) {
    return a.isBefore(b) ? a : b;
  }
}
