package org.flowwatch.watch;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import org.flowwatch.globus.flows.FlowRun;
import org.flowwatch.globus.flows.FlowRuns;
import org.flowwatch.globus.GlobusException;
import org.flowwatch.globus.NotFoundException;
import org.flowwatch.globus.OutcomeUnknownException;
import org.flowwatch.globus.RateLimitedException;
import org.flowwatch.globus.flows.StartRun;
import org.flowwatch.globus.flows.TriggerToken;

/**
 * The {@link FlowRuns} port kept in memory: it records every start request, creates runs labelled with
 * their trigger token (as the Flows service stores them), and can be told to fail the next start or get
 * in a given way, to lose a start's answer after creating the run, or to stop showing a run (404).
 * Every call is written to {@link #calls()}, so tests can assert order. Thread-safe: the requests of a
 * start batch arrive at once.
 */
final class InMemoryFlowRuns implements FlowRuns {
  static final UUID FLOW = UUID.fromString("babd88e5-d31d-48c7-b3a0-b765389b5c22");

  /** One start request as received. */
  record Start(StartRun request, TriggerToken token, FlowRun created) {}

  private final List<Start> starts = new ArrayList<>();
  private final Map<UUID, FlowRun> runs = new LinkedHashMap<>();
  private final Map<UUID, Boolean> hidden = new LinkedHashMap<>();
  private final Deque<GlobusException> startFailures = new ArrayDeque<>();
  private final Deque<GlobusException> getFailures = new ArrayDeque<>();
  private final Deque<GlobusException> authorizationFailures = new ArrayDeque<>();
  private final Deque<GlobusException> listFailures = new ArrayDeque<>();
  private final Deque<GlobusException> endedListFailures = new ArrayDeque<>();
  private final List<String> calls = new ArrayList<>();
  private boolean loseNextAnswer;
  private Consumer<TriggerToken> onStart = t -> { };
  private Runnable onFind = () -> { };

  /** The next start throws {@code e} without creating a run. */
  synchronized InMemoryFlowRuns failNextStart(GlobusException e) {
    startFailures.add(e);
    return this;
  }

  /** The next authorizeStart throws {@code e}, as refused credentials would. */
  synchronized InMemoryFlowRuns failNextAuthorization(GlobusException e) {
    authorizationFailures.add(e);
    return this;
  }

  /** The next listActive throws {@code e}. */
  synchronized InMemoryFlowRuns failNextList(GlobusException e) {
    listFailures.add(e);
    return this;
  }

  /** The next get throws {@code e}. */
  synchronized InMemoryFlowRuns failNextGet(GlobusException e) {
    getFailures.add(e);
    return this;
  }

  /** The next start creates its run, then its answer is lost (OutcomeUnknownException). */
  synchronized InMemoryFlowRuns loseNextAnswer() {
    loseNextAnswer = true;
    return this;
  }

  /** Runs inside {@link #start}, before anything is created: what the ledger holds while the call is out. */
  synchronized InMemoryFlowRuns onStart(Consumer<TriggerToken> hook) {
    this.onStart = hook;
    return this;
  }

  /** Runs inside {@link #findByToken}, before it answers: another writer moving the row meanwhile. */
  synchronized InMemoryFlowRuns onFind(Runnable hook) {
    this.onFind = hook;
    return this;
  }

  /** A run this service knows, started elsewhere (for polls), with {@code status}. */
  synchronized UUID add(String status) {
    UUID id = UUID.randomUUID();
    runs.put(id, run(id, status, "by hand", List.of()));
    return id;
  }

  /** A run the service has that was started with {@code token}, as a start whose answer was lost leaves. */
  synchronized UUID plant(TriggerToken token, String label) {
    UUID id = UUID.randomUUID();
    runs.put(id, run(id, "ACTIVE", token.label(label), List.of(token.value())));
    return id;
  }

  /** What the service says of {@code id} from now on. */
  synchronized void status(UUID id, String status) {
    FlowRun r = runs.get(id);
    runs.put(id, run(id, status, r.label(), r.tags()));
  }

  /** The service stops showing {@code id}: get answers 404 (another identity, another URL, deleted). */
  synchronized void hide(UUID id) {
    hidden.put(id, true);
  }

  /** The service shows {@code id} again. */
  synchronized void show(UUID id) {
    hidden.remove(id);
  }

  synchronized List<Start> starts() {
    return List.copyOf(starts);
  }

  synchronized List<String> calls() {
    return List.copyOf(calls);
  }

  long callsStartingWith(String prefix) {
    return calls.stream().filter(c -> c.startsWith(prefix)).count();
  }

  @Override
  public synchronized void authorizeStart() {
    calls.add("authorize");
    if (!authorizationFailures.isEmpty()) {
      throw authorizationFailures.poll();
    }
  }

  @Override
  public synchronized FlowRun start(StartRun request, TriggerToken token) {
    calls.add("start " + request.label());
    onStart.accept(token);
    GlobusException failure = startFailures.poll();
    if (failure != null) {
      starts.add(new Start(request, token, null));
      throw failure;
    }
    List<String> tags = new ArrayList<>(request.tags());
    tags.add(token.value());
    UUID id = UUID.randomUUID();
    FlowRun created = run(id, "ACTIVE", token.label(request.label()), tags);
    runs.put(id, created);
    starts.add(new Start(request, token, created));
    if (loseNextAnswer) {
      loseNextAnswer = false;
      throw new OutcomeUnknownException("start a run", "the connection was reset", request.label(), null);
    }
    return created;
  }

  @Override
  public synchronized Optional<FlowRun> findByToken(TriggerToken token) {
    calls.add("find " + token);
    onFind.run();
    return runs.values().stream().filter(token::marks).findFirst();
  }

  @Override
  public synchronized FlowRun get(UUID runId) {
    calls.add("get " + runId);
    GlobusException failure = getFailures.poll();
    if (failure != null) {
      throw failure;
    }
    FlowRun r = runs.get(runId);
    if (r == null || hidden.containsKey(runId)) {
      throw notFound(runId);
    }
    return r;
  }

  @Override
  public synchronized List<FlowRun> listActive() {
    calls.add("list");
    GlobusException failure = listFailures.poll();
    if (failure != null) {
      throw failure;
    }
    return runs.values().stream().filter(r -> !r.isFinal() && !hidden.containsKey(r.runId())).toList();
  }

  /** Every visible run that ended (the tests' runs have no completion times); {@code since} is in the call. */
  @Override
  public synchronized List<FlowRun> listEndedSince(java.time.Instant since) {
    calls.add("ended since " + since);
    GlobusException failure = endedListFailures.poll();
    if (failure != null) {
      throw failure;
    }
    return runs.values().stream().filter(r -> r.isFinal() && !hidden.containsKey(r.runId())).toList();
  }

  /** The next listEndedSince throws {@code e}. */
  synchronized InMemoryFlowRuns failNextEndedList(GlobusException e) {
    endedListFailures.add(e);
    return this;
  }

  static NotFoundException notFound(UUID runId) {
    return new NotFoundException("get the status of run " + runId, "the service answered 404 Not Found",
        "Check that this identity can see the run.", null);
  }

  static RateLimitedException rateLimited(java.time.Duration retryAfter) {
    return new RateLimitedException("start a run", "the service answered 429 Too Many Requests", retryAfter, null);
  }

  private static FlowRun run(UUID id, String status, String label, List<String> tags) {
    String code = switch (status) {
      case "SUCCEEDED" -> "FlowSucceeded";
      case "FAILED" -> "FlowFailed";
      case "ENDED" -> "FlowCanceled";
      default -> "FlowStarting";
    };
    return new FlowRun(id, FLOW, status, label, tags, null, null, code, null, null, null);
  }
}
