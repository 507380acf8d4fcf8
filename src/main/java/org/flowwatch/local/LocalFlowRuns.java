package org.flowwatch.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.flowwatch.engine.CauseLine;
import org.flowwatch.engine.Checkpoint;
import org.flowwatch.engine.FlowInterpreter;
import org.flowwatch.engine.RunContext;
import org.flowwatch.engine.RunListener;
import org.flowwatch.engine.RunResult;
import org.flowwatch.globus.NotFoundException;
import org.flowwatch.globus.flows.FlowRun;
import org.flowwatch.globus.flows.FlowRuns;
import org.flowwatch.globus.flows.StartRun;
import org.flowwatch.globus.flows.TriggerToken;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs of the config's flow, executed on this machine: the second implementation of {@link FlowRuns}.
 * A start records the run (synced) and hands it to a bounded pool of workers; each state entered is
 * saved, so a run whose process died resumes at that state in the next process that calls
 * {@link #resumeOrphans}, re-executing it and saying so in the run's log. A run is executed by one
 * process at a time: it names its owner (pid, host and the process's start), and only a run whose owner
 * is gone is taken over.
 */
public final class LocalFlowRuns implements FlowRuns, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LocalFlowRuns.class);
  /** How long {@link #close} lets a run's state in progress stop (its action is interrupted). */
  private static final Duration STOP_WITHIN = Duration.ofSeconds(30);

  private final LocalRunStore store;
  private final FlowInterpreter interpreter;
  private final String flowId;
  private final String username;
  private final Clock clock;
  private final ExecutorService workers;
  private final Map<String, Future<?>> running = new ConcurrentHashMap<>();
  private final String self = owner(ProcessHandle.current());
  private final RunListener echo;

  /**
   * @param flowId the flow id runs carry ({@code $._context.flow_id}), the config's flow id
   * @param workers how many runs execute at once (the agent's {@code max_active_runs})
   */
  public LocalFlowRuns(LocalRunStore store, FlowInterpreter interpreter, String flowId, String username,
      int workers, Clock clock) {
    this(store, interpreter, flowId, username, workers, clock, RunListener.NONE);
  }

  /** @param echo also hears every run state by state, on the run's worker thread (a hand start's stderr) */
  public LocalFlowRuns(LocalRunStore store, FlowInterpreter interpreter, String flowId, String username,
      int workers, Clock clock, RunListener echo) {
    this.echo = echo;
    this.store = store;
    this.interpreter = interpreter;
    this.flowId = flowId;
    this.username = username;
    this.clock = clock;
    this.workers = Executors.newFixedThreadPool(workers, r -> {
      Thread t = new Thread(r, "flowwatch-local-run");
      t.setDaemon(true);
      return t;
    });
  }

  @Override
  public void authorizeStart() {
    // Nothing to authorize: no service, no credentials.
  }

  @Override
  public FlowRun start(StartRun run, TriggerToken token) {
    List<String> tags = new ArrayList<>(run.tags());
    tags.add(token.value());
    ObjectNode details = JsonNodeFactory.instance.objectNode().put("code", "FlowStarting")
        .put("description", "The local run is starting");
    LocalRun created = new LocalRun(UUID.randomUUID().toString(), flowId, token.value(), token.label(run.label()),
        tags, "ACTIVE", null, run.body(), details, clock.instant(), null, self);
    store.create(created);
    execute(created, null);
    return flowRun(created);
  }

  @Override
  public Optional<FlowRun> findByToken(TriggerToken token) {
    return store.byToken(token.value()).map(LocalFlowRuns::flowRun);
  }

  @Override
  public FlowRun get(UUID runId) {
    return store.get(runId.toString()).map(LocalFlowRuns::flowRun).orElseThrow(() -> new NotFoundException(
        "get the status of local run " + runId, "no local run has that id in " + LocalRunStore.FILE,
        "Check the state directory: local runs live beside the ledger that started them.", null));
  }

  @Override
  public List<FlowRun> listActive() {
    return store.active().stream().map(LocalFlowRuns::flowRun).toList();
  }

  @Override
  public List<FlowRun> listEndedSince(Instant since) {
    return store.endedSince(since).stream().map(LocalFlowRuns::flowRun).toList();
  }

  /**
   * Takes over the runs left ACTIVE by a process that is gone (killed, crashed, stopped mid-run) and
   * resumes each at the state it was in.
   *
   * @return how many were resumed
   */
  @Override
  public int resumeInterrupted() {
    return resumeOrphans();
  }

  public int resumeOrphans() {
    int resumed = 0;
    for (LocalRun run : store.active()) {
      if (running.containsKey(run.runId()) || alive(run.owner())) {
        continue;
      }
      store.own(run.runId(), self);
      String state = run.state();
      Checkpoint at = state == null ? null : new Checkpoint(state, run.flowState());
      store.log(run.runId(), clock.instant(), state, "resumed", state == null ? "starting again from the first state"
          : "re-executing " + state + ": the process that ran it (" + run.owner() + ") is gone");
      log.info("local run {} resumes at {}, re-executing it", run.runId(), state == null ? "its first state" : state);
      execute(run, at);
      resumed++;
    }
    return resumed;
  }

  /**
   * Waits up to {@code limit} for a run this process executes to end.
   *
   * @return whether it ended (false: still running, or not executed here)
   */
  public boolean await(UUID runId, Duration limit) throws InterruptedException {
    Future<?> f = running.get(runId.toString());
    if (f == null) {
      return store.get(runId.toString()).map(r -> !r.isActive()).orElse(false);
    }
    try {
      f.get(limit.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (TimeoutException e) {
      return false;
    } catch (java.util.concurrent.ExecutionException e) {
      return true; // the worker recorded the failure itself
    }
  }

  /** A local run has no web page: its log is in the store, state by state. */
  @Override
  public String pageOf(UUID runId) {
    return "local run " + runId + ", its log state by state in " + store.file();
  }

  /** The run's log: each state entered, its progress, and how it ended. */
  public List<String> logOf(UUID runId) {
    return store.logOf(runId.toString());
  }

  private void execute(LocalRun run, Checkpoint at) {
    // Registered before it can run, so its own removal never comes first and leaves a stale entry.
    java.util.concurrent.FutureTask<Void> task = new java.util.concurrent.FutureTask<>(() -> {
      try {
        work(run, at);
      } finally {
        running.remove(run.runId());
      }
    }, null);
    running.put(run.runId(), task);
    workers.execute(task);
  }

  private void work(LocalRun run, Checkpoint at) {
    String id = run.runId();
    RunContext context = new RunContext(id, flowId, username);
    // A flow that catches a failure and goes to a Fail state ends with the Fail state's own words; what
    // actually went wrong is the caught failure, which the run's failure then names too.
    String[] lastCaught = {null};
    RunListener listener = new RunListener() {
      @Override
      public void entered(Checkpoint checkpoint, String type) {
        store.checkpoint(id, checkpoint.state(), checkpoint.flowState());
        store.log(id, clock.instant(), checkpoint.state(), "entered", type);
        if (echo == RunListener.NONE) {
          log.info("local run {} ({}): {} {}", id, run.label(), type, checkpoint.state());
        }
        echo.entered(checkpoint, type);
      }

      @Override
      public void progress(String state, String line) {
        store.log(id, clock.instant(), state, "progress", line);
        echo.progress(state, line);
      }

      @Override
      public void finished(String state, String next, JsonNode flowState) {
        echo.finished(state, next, flowState);
      }

      @Override
      public void caught(String state, String error, String cause, String next) {
        store.log(id, clock.instant(), state, "caught", error + ": " + cause + "; going on to " + next);
        lastCaught[0] = state + " failed with " + error + ": " + CauseLine.of(cause);
        log.info("local run {}: {} failed with {}, caught; going on to {}", id, state, error, next);
        echo.caught(state, error, cause, next);
      }

      @Override
      public void failed(String state, String error, String cause) {
        store.log(id, clock.instant(), state, "failed", error + ": " + cause);
        log.warn("local run {}: {} failed with {}: {}", id, state, error, cause);
        echo.failed(state, error, cause);
      }
    };
    RunResult result;
    try {
      result = at == null ? interpreter.run(run.flowState(), context, listener)
          : interpreter.resume(at, context, listener);
    } catch (InterruptedException e) {
      // Stopping: the run stays ACTIVE at its last checkpoint, for the next process to resume.
      store.log(id, clock.instant(), null, "interrupted", "this process stopped; the run resumes in the next");
      return;
    } catch (RuntimeException e) {
      log.error("local run {} broke the engine: {}", id, e.toString(), e);
      result = new RunResult(RunResult.FAILED, JsonNodeFactory.instance.nullNode(), "EngineError",
          String.valueOf(e.getMessage()), null);
    }
    store.finish(id, result.status(), details(result, context, lastCaught[0]), clock.instant());
  }

  /**
   * The run's details as the service gives them: code, description, output (and, failed, what failed).
   *
   * @param caught the last caught failure before the end, or null
   */
  private static JsonNode details(RunResult result, RunContext context, String caught) {
    ObjectNode details = (ObjectNode) result.toRunRecord(context).get("details");
    if (result.succeeded()) {
      details.put("code", "FlowSucceeded").put("description", "The Flow run reached a successful completion.");
    } else {
      details.put("description", (result.failedState() == null ? "" : result.failedState() + " failed: ")
          + result.error() + (result.cause() == null ? "" : ": " + result.cause())
          + (caught == null ? "" : " (after " + caught + ")"));
    }
    return details;
  }

  static FlowRun flowRun(LocalRun r) {
    JsonNode details = r.details();
    String code = details != null && details.hasNonNull("code") ? details.get("code").asText() : null;
    String description = details != null && details.hasNonNull("description")
        ? details.get("description").asText() : null;
    return new FlowRun(UUID.fromString(r.runId()), null, r.status(), r.label(), r.tags(), r.startTime(),
        r.completionTime(), code, description, null, details);
  }

  /** Who a process is, uniquely on this host for as long as it lives: pid, host and its start. */
  static String owner(ProcessHandle process) {
    long started = process.info().startInstant().map(Instant::toEpochMilli).orElse(0L);
    return process.pid() + "@" + host() + "@" + started;
  }

  /** Whether the process named by {@code owner} still runs (on another host: assumed so). */
  static boolean alive(String owner) {
    if (owner == null) {
      return false;
    }
    String[] parts = owner.split("@");
    if (parts.length != 3) {
      return false;
    }
    if (!parts[1].equals(host())) {
      return true; // cannot tell; never take over another host's run
    }
    Optional<ProcessHandle> p = ProcessHandle.of(Long.parseLong(parts[0]));
    return p.isPresent() && owner(p.get()).equals(owner);
  }

  private static String host() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "localhost";
    }
  }

  /** Stops the workers: a run in progress is interrupted and stays ACTIVE, to resume in the next process. */
  @Override
  public void close() {
    workers.shutdownNow();
    try {
      workers.awaitTermination(STOP_WITHIN.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
