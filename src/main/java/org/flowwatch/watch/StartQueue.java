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
 * the service asked every start to wait (Retry-After, missing consent, refused credentials). READY rows
 * go in batches of {@code watch.concurrent_starts}: the batch's STARTING rows are written in one durable
 * transaction, then its requests are out at once (see {@link RunStarter#startAll}).
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
  private final int batchSize;
  private final Executor sender;
  private final Clock clock;
  private final org.flowwatch.ops.AgentMetrics metrics;

  StartQueue(Path root, BooleanSupplier rootIntact, RunLauncher launcher, RunStarter starter, TransitionLog ledger,
      StartPacer pacer, int maxActive, int batchSize, Executor sender, Clock clock) {
    this(root, rootIntact, launcher, starter, ledger, pacer, maxActive, batchSize, sender, clock,
        new org.flowwatch.ops.AgentMetrics(clock));
  }

  /**
   * @param metrics counts each start's outcome and times each batch
   * @param batchSize how many requests may be out at once
   * @param sender runs the requests of a batch; it must be able to run {@code batchSize} at once
   */
  StartQueue(Path root, BooleanSupplier rootIntact, RunLauncher launcher, RunStarter starter, TransitionLog ledger,
      StartPacer pacer, int maxActive, int batchSize, Executor sender, Clock clock,
      org.flowwatch.ops.AgentMetrics metrics) {
    this.metrics = metrics;
    this.root = root;
    this.rootIntact = rootIntact;
    this.launcher = launcher;
    this.starter = starter;
    this.ledger = ledger;
    this.pacer = pacer;
    this.maxActive = maxActive;
    this.batchSize = batchSize;
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
    List<RunStarter.Request> batch = new ArrayList<>();
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
      if (inFlight + batch.size() >= maxActive || !pacer.tryAcquire(now)) {
        break;
      }
      RunStarter.Request request = prepare(row);
      if (request != null) {
        batch.add(request);
      }
      if (batch.size() == batchSize) {
        inFlight += send(batch, done);
        batch.clear();
      }
    }
    if (!batch.isEmpty() && !stopping.getAsBoolean()) {
      send(batch, done);
    }
    return done;
  }

  /** Starts one batch; returns how many of its runs may now be in flight. */
  private int send(List<RunStarter.Request> batch, List<StartOutcome> done) {
    int inFlight = 0;
    long began = System.nanoTime();
    List<StartOutcome> outcomes = starter.startAll(batch, sender);
    java.time.Duration took = java.time.Duration.ofNanos(System.nanoTime() - began);
    for (StartOutcome outcome : outcomes) {
      if (outcome.kind() == StartOutcome.Kind.STARTED) {
        metrics.startLatency(took);
      }
      done.add(settle(outcome));
      inFlight += outcome.kind() == StartOutcome.Kind.STARTED || outcome.kind() == StartOutcome.Kind.ANSWER_LOST
          ? 1 : 0;
    }
    return inFlight;
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
