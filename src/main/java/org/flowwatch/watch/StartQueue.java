package org.flowwatch.watch;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.BooleanSupplier;
import org.flowwatch.input.InputDocument;
import org.flowwatch.input.SchemaException;
import org.flowwatch.input.TemplateException;
import org.flowwatch.ledger.RunRecord;
import org.flowwatch.ledger.RunState;
import org.flowwatch.ledger.Transition;
import org.flowwatch.run.RunDirectoryException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the agent's starts: STARTING rows are reconciled first, then READY rows start in key order,
 * within {@code max_active_runs} runs in flight and the pacer's per-minute budget, and not at all while
 * the service asked every start to wait (Retry-After, missing consent, refused credentials). Up to
 * {@code watch.concurrent_starts} requests are out at once, sent in groups of half that: each group's
 * STARTING rows are written in one durable transaction before any of its requests goes out, and the next
 * group is built while the window is out and sent as soon as there is room for it (see
 * {@link RunStarter.Window}).
 */
final class StartQueue {
  private static final Logger log = LoggerFactory.getLogger(StartQueue.class);

  private final Path root;
  private final BooleanSupplier rootIntact;
  private final RunLauncher launcher;
  private final RunStarter starter;
  private final TransitionLog ledger;
  private final StartPacer pacer;
  private final int maxActive;
  private final int windowSize;
  /** How many requests are built and sent together: half the window, one half out while the other is built. */
  private final int groupSize;
  private final Executor sender;
  private final Clock clock;
  private final org.flowwatch.ops.AgentMetrics metrics;

  StartQueue(Path root, BooleanSupplier rootIntact, RunLauncher launcher, RunStarter starter, TransitionLog ledger,
      StartPacer pacer, int maxActive, int windowSize, Executor sender, Clock clock) {
    this(root, rootIntact, launcher, starter, ledger, pacer, maxActive, windowSize, sender, clock,
        new org.flowwatch.ops.AgentMetrics(clock));
  }

  /**
   * @param metrics counts each start's outcome and times each request
   * @param windowSize how many requests may be out at once
   * @param sender runs the requests; it must be able to run {@code windowSize} at once
   */
  StartQueue(Path root, BooleanSupplier rootIntact, RunLauncher launcher, RunStarter starter, TransitionLog ledger,
      StartPacer pacer, int maxActive, int windowSize, Executor sender, Clock clock,
      org.flowwatch.ops.AgentMetrics metrics) {
    this.metrics = metrics;
    this.root = root;
    this.rootIntact = rootIntact;
    this.launcher = launcher;
    this.starter = starter;
    this.ledger = ledger;
    this.pacer = pacer;
    this.maxActive = maxActive;
    this.windowSize = windowSize;
    this.groupSize = Math.max(1, windowSize / 2);
    this.sender = sender;
    this.clock = clock;
  }

  /**
   * Works through {@code queue} (STARTING and READY rows) until it is empty, a limit is reached, or
   * {@code stopping} says so.
   *
   * @param inFlight runs that count against {@code max_active_runs} now
   * @return what each start and reconcile came to
   * @throws ConfigProblem when building a document fails in a way every run would (template, schema):
   *     nothing more is started, and no row is marked for it
   */
  List<StartOutcome> drain(List<RunRecord> queue, int inFlight, BooleanSupplier stopping) {
    // STARTING rows first, whatever their keys: they count against max_active_runs themselves, so a READY
    // row stopped by that limit must not keep them from being reconciled. The sort is stable: key order
    // stays within each group.
    List<RunRecord> ordered = new ArrayList<>(queue);
    ordered.sort(Comparator.comparing(r -> r.state() != RunState.STARTING));
    List<StartOutcome> done = new ArrayList<>();
    RunStarter.Window window = starter.window(sender, metrics::startLatency);
    List<RunStarter.Request> group = new ArrayList<>();
    // Runs against max_active_runs: those in flight before, plus each sent here until its answer says
    // it did not start.
    int active = inFlight;
    try {
      for (RunRecord row : ordered) {
        Instant now = clock.instant();
        if (stopping.getAsBoolean() || pacer.paused(now)) {
          break;
        }
        if (row.notBefore() != null && now.isBefore(row.notBefore())) {
          continue;
        }
        if (row.state() == RunState.STARTING) {
          done.add(settle(starter.reconcile(row)));
          continue;
        }
        if (!rootIntact.getAsBoolean()) {
          break; // the watch directory leads elsewhere now: READY rows wait for it to come back
        }
        if (active + group.size() >= maxActive || !pacer.tryAcquire(now)) {
          break;
        }
        RunStarter.Request request = prepare(row);
        if (request != null) {
          group.add(request);
        }
        if (group.size() == groupSize) {
          active += sendWhenThereIsRoom(window, group, stopping, done);
          if (!group.isEmpty()) {
            break; // not sent: an answer that came meanwhile paused every start, or a stop
          }
        }
      }
      if (!group.isEmpty()) {
        sendWhenThereIsRoom(window, group, stopping, done);
      }
    } finally {
      collect(window, 0, done);
    }
    return done;
  }

  /**
   * Waits for room in the window for a group built while it was out, then sends it and empties it,
   * unless an answer that came meanwhile paused every start (or the agent is stopping): then the group
   * is left as it is, its rows still READY. No group waits for another's slowest answer.
   *
   * @return by how much the runs in flight changed: the group sent, less the answers that started none
   */
  private int sendWhenThereIsRoom(RunStarter.Window window, List<RunStarter.Request> group,
      BooleanSupplier stopping, List<StartOutcome> done) {
    int change = -collect(window, windowSize - group.size(), done);
    if (stopping.getAsBoolean() || pacer.paused(clock.instant())) {
      return change;
    }
    return change + send(window, group, done);
  }

  /** Sends a group and empties it; returns how many requests went out. */
  private int send(RunStarter.Window window, List<RunStarter.Request> group, List<StartOutcome> done) {
    List<String> moved = window.send(group);
    for (String key : moved) {
      done.add(settle(StartOutcome.of(StartOutcome.Kind.MOVED, null)));
    }
    int sent = group.size() - moved.size();
    group.clear();
    return sent;
  }

  /** Writes the answers that came; returns how many of them leave no run in flight. */
  private int collect(RunStarter.Window window, int leaveOut, List<StartOutcome> done) {
    int ended = 0;
    for (StartOutcome outcome : window.collect(leaveOut).values()) {
      done.add(settle(outcome));
      ended += outcome.kind() == StartOutcome.Kind.STARTED || outcome.kind() == StartOutcome.Kind.ANSWER_LOST
          ? 0 : 1;
    }
    return ended;
  }

  /** Applies an outcome's pause to every start. */
  private StartOutcome settle(StartOutcome outcome) {
    StartMetrics.count(metrics, outcome);
    if (outcome.pauseUntil() != null) {
      pacer.pauseUntil(outcome.pauseUntil());
      if (outcome.error() != null && !(outcome.error() instanceof org.flowwatch.globus.RateLimitedException)) {
        log.error("{}; starts paused until {}", outcome.error().getMessage(), outcome.pauseUntil());
        ledger.startsPaused(outcome.error(), outcome.pauseUntil());
      }
    }
    return outcome;
  }

  /** Builds and validates one READY row's request; null when it cannot be sent (the row moved on). */
  private RunStarter.Request prepare(RunRecord row) {
    Path dir = root.resolve(row.key());
    if (!Files.isDirectory(dir)) {
      ledger.apply(Transition.of(row.key(), RunState.SETTLING).from(RunState.READY)
          .reason("the directory vanished before its start; waiting for it to come back"));
      return null;
    }
    InputDocument doc;
    try {
      doc = launcher.prepare(dir);
    } catch (TemplateException | SchemaException e) {
      throw new ConfigProblem(e.getMessage(), e);
    } catch (RunDirectoryException e) {
      invalid(row, dir, e.getMessage());
      return null;
    }
    if (!doc.isValid()) {
      invalid(row, dir, "the input document breaks the flow's schema: " + doc.report().format());
      return null;
    }
    return new RunStarter.Request(row.key(), RunState.READY, launcher.request(doc), dir, "the agent", false);
  }

  private void invalid(RunRecord row, Path dir, String why) {
    ledger.apply(Transition.of(row.key(), RunState.INVALID).from(RunState.READY).error(why)
        .fingerprint(RunStarter.fingerprint(dir)).reason("input document invalid; fix the directory, then it"
            + " is looked at again when the directory changes, or run 'flowwatch retry " + row.key() + "'"));
  }

  /** When the pacer next lets a start through, for the loop's sleep. */
  Instant nextSlot() {
    return pacer.nextSlot(clock.instant());
  }
}
