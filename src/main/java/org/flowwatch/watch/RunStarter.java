package org.flowwatch.watch;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;
import org.flowwatch.globus.AuthenticationException;
import org.flowwatch.globus.ConsentRequiredException;
import org.flowwatch.globus.ForbiddenException;
import org.flowwatch.globus.GlobusException;
import org.flowwatch.globus.InvalidRequestException;
import org.flowwatch.globus.NotFoundException;
import org.flowwatch.globus.OutcomeUnknownException;
import org.flowwatch.globus.RateLimitedException;
import org.flowwatch.globus.flows.FlowRun;
import org.flowwatch.globus.flows.FlowRuns;
import org.flowwatch.globus.flows.StartRun;
import org.flowwatch.globus.flows.TriggerToken;
import org.flowwatch.ledger.RunRecord;
import org.flowwatch.ledger.RunState;
import org.flowwatch.ledger.Transition;
import org.flowwatch.run.RunDirectoryException;
import org.flowwatch.run.TreeSnapshot;
import org.flowwatch.watch.StartOutcome.Kind;

/**
 * Starts runs exactly once (design.md, "Exactly once"), for the agent and for hand starts alike: STARTING
 * with a fresh trigger token is on disk before the request; ACTIVE with the run id after the answer;
 * when the answer is lost, the token is looked up at the service before any new attempt.
 */
final class RunStarter {
  /** How the reason of a lost answer begins; {@link TransitionLog} logs such a transition as a warning. */
  static final String ANSWER_LOST = "answer lost";

  private final FlowRuns runs;
  private final TransitionLog ledger;
  private final Clock clock;
  private final Duration startGrace;

  /**
   * @param startGrace how long a start whose answer was lost may take to show up in the service's run
   *     list before it is taken as never created
   */
  RunStarter(FlowRuns runs, TransitionLog ledger, Clock clock, Duration startGrace) {
    this.runs = runs;
    this.ledger = ledger;
    this.clock = clock;
    this.startGrace = startGrace;
  }

  /**
   * One start to make.
   *
   * @param from the state the row must still be in, or null for a key the ledger must not have yet
   * @param dir the run directory, fingerprinted if the service refuses its input
   * @param by who asked, for the history: "the agent", "a hand start (--rundir)"
   * @param again the start may leave a final state: a person asked for the data to go again
   */
  record Request(String key, RunState from, StartRun request, Path dir, String by, boolean again) {}

  /** A start whose STARTING row, with its token, is on disk: only now may its request be sent. */
  private record Begun(Request request, RunRecord row, TriggerToken token) {}

  /** What one request came to: the run, or the service's refusal. */
  private record Answer(FlowRun run, GlobusException error) {}

  /**
   * Records STARTING and sends the request once.
   *
   * @see Request
   */
  StartOutcome start(String key, RunState from, StartRun request, Path dir, String by) {
    return start(key, from, request, dir, by, false);
  }

  StartOutcome start(String key, RunState from, StartRun request, Path dir, String by, boolean again) {
    return startAll(List.of(new Request(key, from, request, dir, by, again)), Runnable::run).get(0);
  }

  /**
   * Starts a batch and waits for every answer: the STARTING rows with their fresh tokens in one durable
   * transaction (one fsync for the batch), the requests out together on {@code sender}, their answers in
   * one more transaction (see {@link Window}).
   *
   * @return one outcome per request, in order ({@link Kind#MOVED} for rows that had moved on)
   */
  List<StartOutcome> startAll(List<Request> requests, Executor sender) {
    Window window = window(sender, took -> {});
    window.send(requests);
    Map<String, StartOutcome> outcomes = window.collect(0);
    List<StartOutcome> out = new ArrayList<>();
    for (Request r : requests) {
      out.add(outcomes.getOrDefault(r.key(), StartOutcome.of(Kind.MOVED, null)));
    }
    return out;
  }

  /**
   * A window of start requests out at once, for one caller thread.
   *
   * @param onStarted told how long each request that started a run took, from send to answer
   */
  Window window(Executor sender, Consumer<Duration> onStarted) {
    return new Window(sender, onStarted);
  }

  /**
   * Start requests out at once. {@link #send} writes a group's STARTING rows with their fresh tokens in
   * one durable transaction before any of its requests goes out; {@link #collect} writes the answers
   * that have come in one more transaction. A caller keeps the window full by sending more while part
   * of it is still out, so no request waits for the slowest of another group. A start whose answer has
   * not come when the caller is interrupted (a stop) stays STARTING with its token, for the next run to
   * reconcile.
   */
  final class Window {
    private final Executor sender;
    private final Consumer<Duration> onStarted;
    private final BlockingQueue<Out> answered = new LinkedBlockingQueue<>();
    /** Requests out, by key, in the order they were sent. */
    private final Map<String, Begun> out = new LinkedHashMap<>();

    private Window(Executor sender, Consumer<Duration> onStarted) {
      this.sender = sender;
      this.onStarted = onStarted;
    }

    /** A request that is out, and its answer once it came (null when the call itself blew up). */
    private record Out(Begun begun, long sentNanos, long answeredNanos, Answer answer, Throwable failure) {}

    /** How many requests are out. */
    int out() {
      return out.size();
    }

    /**
     * Writes the STARTING rows of {@code requests} in one durable transaction, then sends each.
     *
     * @return the keys of the requests whose rows had moved on, which were not sent ({@link Kind#MOVED})
     */
    List<String> send(List<Request> requests) {
      List<Transition> starting = new ArrayList<>();
      Map<String, TriggerToken> tokens = new HashMap<>();
      for (Request r : requests) {
        TriggerToken token = TriggerToken.fresh();
        tokens.put(r.key(), token);
        Transition t = Transition.of(r.key(), RunState.STARTING).startWith(token.value())
            .reason("starting, by " + r.by() + (r.again() ? " (again)" : "") + ", token " + token);
        if (r.again()) {
          t.again();
        }
        starting.add(r.from() == null ? t.onlyIfNew() : t.from(r.from()));
      }
      Map<String, RunRecord> begun = byKey(ledger.applyAll(starting));
      List<String> moved = new ArrayList<>();
      for (Request r : requests) {
        RunRecord row = begun.get(r.key());
        if (row == null) {
          moved.add(r.key());
          continue;
        }
        Begun b = new Begun(r, row, tokens.get(r.key()));
        long sent = System.nanoTime();
        CompletableFuture.supplyAsync(() -> RunStarter.this.send(b), sender).whenComplete((a, e) ->
            answered.add(new Out(b, sent, System.nanoTime(), a, e)));
        out.put(r.key(), b); // only once it is really out: a refused submit leaves nothing to wait for
      }
      return moved;
    }

    /**
     * Waits until at most {@code leaveOut} requests are out, then writes what every answer that has come
     * came to, in one transaction.
     *
     * @return the outcomes written, by key, in the order the answers came
     * @throws IllegalStateException when a request failed in a way no service answer explains (a bug);
     *     its row stays STARTING, to be reconciled by its token
     */
    Map<String, StartOutcome> collect(int leaveOut) {
      List<Out> came = new ArrayList<>();
      boolean interrupted = false;
      try {
        while (out.size() - came.size() > leaveOut) {
          came.add(answered.take());
        }
      } catch (InterruptedException e) {
        interrupted = true;
      }
      answered.drainTo(came);
      Instant now = clock.instant();
      List<Transition> moves = new ArrayList<>();
      Map<String, StartOutcome> pending = new LinkedHashMap<>();
      Throwable failure = null;
      for (Out o : came) {
        String key = o.begun().request().key();
        out.remove(key);
        if (o.answer() == null) {
          failure = o.failure();
          continue;
        }
        Settled s = settle(o.begun(), o.answer(), now);
        moves.add(s.move());
        pending.put(key, s.outcome());
        if (s.outcome().kind() == Kind.STARTED) {
          onStarted.accept(Duration.ofNanos(o.answeredNanos() - o.sentNanos()));
        }
      }
      if (interrupted) {
        for (Begun b : out.values()) {
          pending.put(b.request().key(), StartOutcome.of(Kind.ANSWER_LOST, b.row())); // stays STARTING
        }
        out.clear();
      }
      Map<String, RunRecord> rows = byKey(ledger.applyAll(moves));
      Map<String, StartOutcome> result = new LinkedHashMap<>();
      for (Map.Entry<String, StartOutcome> e : pending.entrySet()) {
        StartOutcome o = e.getValue();
        if (o.kind() == Kind.STARTED && !rows.containsKey(e.getKey())) {
          ledger.startedAfterRowMovedOn(e.getKey(), o.run().runId().toString());
        }
        RunRecord row = o.kind() == Kind.ANSWER_LOST && !rows.containsKey(e.getKey()) ? o.row()
            : rows.get(e.getKey());
        result.put(e.getKey(), new StartOutcome(o.kind(), row, o.run(), o.error(), o.pauseUntil()));
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
      if (failure != null) {
        throw new IllegalStateException("a start request failed unexpectedly: " + failure, failure);
      }
      return result;
    }
  }

  private Answer send(Begun b) {
    try {
      return new Answer(runs.start(b.request().request(), b.token()), null);
    } catch (GlobusException e) {
      return new Answer(null, e);
    }
  }

  /** The transition an answer calls for, and the outcome it will be reported as once written. */
  private record Settled(Transition move, StartOutcome outcome) {}

  private Settled settle(Begun b, Answer a, Instant now) {
    String key = b.request().key();
    TriggerToken token = b.token();
    if (a.run() != null) {
      return new Settled(Transition.of(key, RunState.ACTIVE).fromStart(token.value())
          .runId(a.run().runId().toString()).clearError()
          .reason("started by " + b.request().by() + " as '" + token.label(b.request().request().label())
              + "', attempt " + b.row().attempts()),
          new StartOutcome(Kind.STARTED, null, a.run(), null, null));
    }
    GlobusException e = a.error();
    if (e instanceof OutcomeUnknownException) {
      // The run may exist. Leave it STARTING: the next look asks for the token before anything else.
      return new Settled(Transition.of(key, RunState.STARTING).fromStart(token.value())
          .error(e.getMessage()).notBefore(now.plusSeconds(5))
          .reason(ANSWER_LOST + "; will look for token " + token),
          new StartOutcome(Kind.ANSWER_LOST, null, null, e, null));
    }
    if (e instanceof InvalidRequestException invalid && invalid.isFlowInputError()) {
      return new Settled(Transition.of(key, RunState.INVALID).fromStart(token.value())
          .error("Globus rejected the input: " + e.getMessage()).fingerprint(fingerprint(b.request().dir()))
          .reason("Globus rejected the input document"),
          new StartOutcome(Kind.REJECTED, null, null, e, null));
    }
    Instant retryAt;
    Instant pauseUntil;
    if (e instanceof RateLimitedException limited) {
      retryAt = now.plus(limited.retryAfter().orElse(Duration.ofSeconds(30)));
      pauseUntil = retryAt;
    } else if (e instanceof InvalidRequestException || e instanceof ConsentRequiredException
        || e instanceof AuthenticationException || e instanceof ForbiddenException
        || e instanceof NotFoundException) {
      // Not this directory's input (a 422 on the tags/label, refused credentials, missing consent, no such
      // flow): every start would fail the same way, so pause them all and mark no directory.
      retryAt = now.plus(backoff(b.row().attempts()));
      pauseUntil = retryAt;
    } else {
      retryAt = now.plus(backoff(b.row().attempts()));
      pauseUntil = null;
    }
    return new Settled(Transition.of(key, RunState.READY).fromStart(token.value()).error(e.getMessage())
        .notBefore(retryAt).reason("not started (" + kind(e) + "); next try at " + retryAt),
        new StartOutcome(Kind.NOT_STARTED, null, null, e, pauseUntil));
  }

  private static Map<String, RunRecord> byKey(List<RunRecord> rows) {
    Map<String, RunRecord> out = new HashMap<>();
    for (RunRecord r : rows) {
      out.put(r.key(), r);
    }
    return out;
  }

  /**
   * Settles a STARTING row whose outcome is unknown (lost answer, crash, kill -9, a stop mid-call): the
   * run found by its token makes it ACTIVE; no run after the grace period means none was created, so it
   * is READY again.
   */
  StartOutcome reconcile(RunRecord row) {
    if (row.token() == null) {
      return startAgain(Transition.of(row.key(), RunState.READY).from(RunState.STARTING)
          .reason("no token; start again"));
    }
    TriggerToken token = new TriggerToken(row.token());
    Instant now = clock.instant();
    Optional<FlowRun> found;
    try {
      found = runs.findByToken(token);
    } catch (RateLimitedException e) {
      return new StartOutcome(Kind.LOOKING, row, null, e, now.plus(e.retryAfter().orElse(Duration.ofSeconds(30))));
    } catch (GlobusException e) {
      RunRecord waiting = ledger.apply(Transition.of(row.key(), RunState.STARTING).fromStart(row.token())
          .error("cannot look up token " + token + ": " + e.getMessage())
          .notBefore(now.plus(Duration.ofSeconds(30)))).orElse(row);
      return new StartOutcome(Kind.LOOKING, waiting, null, e, null);
    }
    if (found.isPresent()) {
      RunRecord active = ledger.apply(Transition.of(row.key(), RunState.ACTIVE).fromStart(row.token())
          .runId(found.get().runId().toString()).clearError()
          .reason("found the run started with token " + token)).orElse(null);
      return new StartOutcome(active == null ? Kind.MOVED : Kind.STARTED, active, found.get(), null, null);
    }
    Instant settled = row.updatedAt().plus(startGrace);
    if (now.isBefore(settled)) {
      RunRecord waiting = ledger.apply(Transition.of(row.key(), RunState.STARTING).fromStart(row.token())
          .notBefore(settled)).orElse(row);
      return StartOutcome.of(Kind.LOOKING, waiting);
    }
    return startAgain(Transition.of(row.key(), RunState.READY).fromStart(row.token())
        .reason("no run carries token " + token + "; it was never created, so start again"));
  }

  /** Puts a start that never happened back to READY; {@link Kind#MOVED} when its row moved on meanwhile. */
  private StartOutcome startAgain(Transition ready) {
    return ledger.apply(ready).map(r -> StartOutcome.of(Kind.NOT_STARTED, r))
        .orElse(StartOutcome.of(Kind.MOVED, null));
  }

  /** The fingerprint an INVALID row keeps, so it is looked at again when the directory changes. */
  static String fingerprint(Path dir) {
    try {
      return TreeSnapshot.take(dir, null).fingerprint();
    } catch (RunDirectoryException e) {
      return "gone";
    }
  }

  /** A few words for the history line; the message itself is in last_error. */
  private static String kind(GlobusException e) {
    if (e instanceof RateLimitedException) {
      return "rate limited";
    }
    if (e instanceof ConsentRequiredException) {
      return "consent needed";
    }
    if (e instanceof AuthenticationException) {
      return "credentials refused";
    }
    if (e instanceof ForbiddenException) {
      return "forbidden";
    }
    if (e instanceof NotFoundException) {
      return "flow not found";
    }
    if (e instanceof InvalidRequestException i && i.status() == 422) {
      return "the Flows service refused the run's tags/label: " + i.reason();
    }
    if (e instanceof InvalidRequestException) {
      return "request refused";
    }
    return "service unavailable";
  }

  /** 30 s, doubling per attempt, at most 30 minutes. */
  static Duration backoff(int attempt) {
    long seconds = 30L << Math.min(Math.max(attempt - 1, 0), 6);
    return Duration.ofSeconds(Math.min(seconds, 1800));
  }
}
