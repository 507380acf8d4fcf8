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
import java.util.function.Consumer;
import org.flowwatch.ledger.RunRecord;
import org.flowwatch.ledger.RunState;
import org.flowwatch.ledger.Transition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the agent's passes look at in the watch directory: the directories that can still change, new
 * ones (listed only when the root may have changed), and the file-system events on the root and on
 * unfinished run directories that wake the loop. The ledger's keys are read once: a scan never reads
 * the rows of finished or started directories. Used by the loop's thread only.
 */
final class RunScan {
  /** The agent's logger: what the scan says is the agent's to say. */
  private static final Logger log = LoggerFactory.getLogger(Agent.class);
  /** The states a scan looks into; the others only need their directory to exist. */
  static final Set<RunState> LOOKED_AT = EnumSet.of(RunState.SEEN, RunState.SETTLING, RunState.INVALID);
  private static final Set<RunState> SETTLING = EnumSet.of(RunState.SEEN, RunState.SETTLING);
  /** While events are healthy the watch directory is still listed at least this often. */
  static final Duration LIST_AT_LEAST_EVERY = ReadinessJudge.TRUST_EVENTS_FOR;

  private final Path root;
  private final TransitionLog ledger;
  private final Clock clock;
  /** Every key the ledger has, read once. */
  private final Set<String> known;
  /** File-system events on the root and on unfinished run directories; null while polling only. */
  private DirectoryEvents events;
  /** When the watch directory was last listed. */
  private Instant lastListing = Instant.MIN;

  RunScan(Path root, TransitionLog ledger, Clock clock) {
    this.root = root;
    this.ledger = ledger;
    this.clock = clock;
    this.known = new HashSet<>(ledger.ledger().keys());
  }

  /** Whether file-system events are being watched. */
  boolean watching() {
    return events != null;
  }

  /**
   * Watches the root and every run directory that can still change; each is walked again once watched.
   *
   * @param onChange told the run key an event touched, on the watcher's thread
   * @return false when events cannot be watched here: the agent polls only
   */
  boolean startEvents(Consumer<String> onChange, ReadinessJudge judge) {
    try {
      DirectoryEvents watcher = DirectoryEvents.start(root, onChange, judge.readsContent());
      for (RunRecord r : ledger.ledger().inStates(LOOKED_AT)) {
        watcher.watch(r.key());
      }
      judge.touched(null);
      judge.eventsLive();
      events = watcher;
      return true;
    } catch (IOException | RuntimeException e) {
      log.warn("cannot watch for file-system events ({}); polling only", e.getMessage());
      return false;
    }
  }

  /**
   * Whether the events watched fit this judge: a judge that reads content (settle) needs the writes of
   * files as events, and one that does not is better off without them.
   */
  boolean eventsFit(ReadinessJudge judge) {
    return events == null || events.modifications() == judge.readsContent();
  }

  /** Whether the writes of files in run directories are events now. */
  boolean writesAreEvents() {
    DirectoryEvents e = events;
    return e != null && e.modifications();
  }

  /** Stops watching for events (the loop ended, or another config needs others). */
  void stopEvents() {
    if (events != null) {
      events.close();
      events = null;
    }
  }

  /** The run directories watched now. */
  Set<String> watched() {
    DirectoryEvents e = events;
    return e == null ? Set.of() : e.watched();
  }

  /** How many times a run directory began to be watched since the events started. */
  long watchesBegun() {
    DirectoryEvents e = events;
    return e == null ? 0 : e.watchesBegun();
  }

  /**
   * Looks at every directory that can still change, and lists the watch directory for new ones unless
   * events are healthy and its mtime proves no name came or went since the last listing. Finished and
   * started directories cost nothing: their keys are in {@link #known}, so their rows are not read.
   */
  void all(WatchDirectory directory, ReadinessJudge judge) {
    List<RunRecord> looked = ledger.ledger().inStates(LOOKED_AT);
    Map<String, RunRecord> rows = new HashMap<>();
    for (RunRecord r : looked) {
      rows.put(r.key(), r);
    }
    Map<String, Path> present = new LinkedHashMap<>();
    Instant now = clock.instant();
    boolean list = events == null || !events.healthy() || !directory.unchangedSinceListing()
        || !now.isBefore(lastListing.plus(LIST_AT_LEAST_EVERY));
    if (list) {
      lastListing = now;
      for (Map.Entry<String, Path> e : directory.matchingNames().entrySet()) {
        String key = e.getKey();
        // A directory whose run started or ended needs no look (and no stat): only its presence matters.
        // Nor does one still settling that no event touched: its deletion would have been an event too.
        boolean look = !known.contains(key) || rows.containsKey(key);
        if (look && (judge.trusted(key) || directory.accept(key, e.getValue()))) {
          present.put(key, e.getValue());
        }
      }
      if (events != null) {
        events.caughtUp();
      }
    } else {
      for (String key : rows.keySet()) {
        Path dir = root.resolve(key);
        if (judge.trusted(key) || directory.accept(key, dir)) {
          present.put(key, dir);
        }
      }
    }
    evaluate(judge, present, rows);
    for (RunRecord r : looked) {
      if (SETTLING.contains(r.state()) && !present.containsKey(r.key())) {
        judge.vanished(r.key());
        unwatch(r.key());
      }
    }
    judge.fullScanDone();
  }

  void some(WatchDirectory directory, ReadinessJudge judge, Set<String> keys) {
    Map<String, Path> present = new LinkedHashMap<>();
    Map<String, RunRecord> rows = new HashMap<>();
    for (String key : keys) {
      Path dir = root.resolve(key);
      if (directory.accept(key, dir)) {
        present.put(key, dir);
        if (known.contains(key)) {
          ledger.ledger().get(key).filter(r -> LOOKED_AT.contains(r.state())).ifPresent(r -> rows.put(key, r));
        }
      }
    }
    evaluate(judge, present, rows);
  }

  /**
   * Records new directories as SEEN and what the judge makes of the present ones, in one transaction. A
   * directory that can still change is watched, then walked again (what was written between its first
   * walk and the watch is found by the second); one found complete at first sight is never watched.
   *
   * @param rows the rows of present keys in a state a scan looks into
   */
  private void evaluate(ReadinessJudge judge, Map<String, Path> present, Map<String, RunRecord> rows) {
    List<Transition> all = new ArrayList<>();
    Set<String> fresh = new HashSet<>();
    Instant now = clock.instant();
    for (String key : present.keySet()) {
      if (!known.contains(key)) {
        all.add(Transition.of(key, RunState.SEEN).onlyIfNew().reason("new run directory"));
        rows.put(key, new RunRecord(key, RunState.SEEN, 0, null, null, null, null, now, now, null));
        fresh.add(key);
      }
    }
    present.keySet().retainAll(rows.keySet());
    Map<String, Transition> judged = byKey(judge.judge(present, rows));
    if (events != null) {
      Map<String, Path> again = new LinkedHashMap<>();
      for (Map.Entry<String, Path> e : present.entrySet()) {
        Transition t = judged.get(e.getKey());
        RunState next = t != null ? t.to() : rows.get(e.getKey()).state();
        if (LOOKED_AT.contains(next) && events.watch(e.getKey())) {
          again.put(e.getKey(), e.getValue());
        }
      }
      if (!again.isEmpty()) {
        judge.touched(again.keySet());
        judged.putAll(byKey(judge.judge(again, rows)));
      }
    }
    all.addAll(judged.values());
    for (RunRecord r : ledger.applyAll(all)) {
      if (r.state() == RunState.SEEN) {
        fresh.remove(r.key());
      } else if (!LOOKED_AT.contains(r.state())) {
        unwatch(r.key());
      }
    }
    known.addAll(present.keySet());
    for (String key : fresh) {
      unwatch(key); // another process (a hand start) wrote this key first: its row is not ours to settle
    }
  }

  private static Map<String, Transition> byKey(List<Transition> transitions) {
    Map<String, Transition> out = new LinkedHashMap<>();
    for (Transition t : transitions) {
      out.put(t.key(), t);
    }
    return out;
  }

  private void unwatch(String key) {
    if (events != null) {
      events.unwatch(key);
    }
  }
}
