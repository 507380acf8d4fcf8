package org.flowwatch.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.flowwatch.engine.ActionContext;
import org.flowwatch.engine.ActionProvider;
import org.flowwatch.engine.ActionStatus;
import org.flowwatch.engine.FlowInterpreter;
import org.flowwatch.engine.Timekeeper;
import org.flowwatch.globus.NotFoundException;
import org.flowwatch.globus.flows.FlowRun;
import org.flowwatch.globus.flows.StartRun;
import org.flowwatch.globus.flows.TriggerToken;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local engine behind the FlowRuns port, on a real SQLite store and the real interpreter. */
class LocalFlowRunsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ACT = "https://actions.example.org/step";
  /** Two actions in a row; the second fails when the input says so. */
  private static final String DEFINITION = """
      {"StartAt": "First", "States": {
        "First": {"Type": "Action", "ActionUrl": "%s", "Parameters": {"name": "first", "fail.$": "$.fail"},
                  "ResultPath": "$.first", "Next": "Second"},
        "Second": {"Type": "Action", "ActionUrl": "%s", "Parameters": {"name": "second", "fail.$": "$.fail"},
                   "ResultPath": "$.second", "ExceptionOnActionFailure": true, "End": true}}}
      """.formatted(ACT, ACT);

  @TempDir Path state;
  private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
  private volatile CountDownLatch secondMayEnd = new CountDownLatch(0);
  private LocalRunStore store;
  private LocalFlowRuns runs;

  /** Counts each state's calls; "second" fails when asked, and waits for {@link #secondMayEnd}. */
  private final ActionProvider step = new ActionProvider() {
    @Override
    public Set<String> urls() {
      return Set.of(ACT);
    }

    @Override
    public ActionStatus run(String url, JsonNode parameters, ActionContext context) throws InterruptedException {
      String name = parameters.get("name").asText();
      calls.computeIfAbsent(name, n -> new AtomicInteger()).incrementAndGet();
      if (name.equals("second")) {
        secondMayEnd.await();
      }
      boolean fail = name.equals("second") && parameters.path("fail").asBoolean();
      return new ActionStatus("a-" + name, fail ? ActionStatus.FAILED : ActionStatus.SUCCEEDED,
          JSON.createObjectNode().put("did", name), Instant.now(), Instant.now());
    }
  };

  private LocalFlowRuns open() throws Exception {
    store = LocalRunStore.open(state);
    FlowInterpreter interpreter = FlowInterpreter.of(JSON.readTree(DEFINITION), List.of(step), Map.of(),
        Timekeeper.SYSTEM);
    runs = new LocalFlowRuns(store, interpreter, "babd88e5-d31d-48c7-b3a0-b765389b5c22", "tester", 2,
        Clock.systemUTC());
    return runs;
  }

  @AfterEach
  void close() {
    if (runs != null) {
      runs.close();
    }
    if (store != null) {
      store.close();
    }
  }

  private static StartRun request(boolean fail) {
    return new StartRun(JSON.createObjectNode().put("fail", fail), "run1217", List.of("FRIB"), List.of(), List.of());
  }

  @Test
  void aStartedRunExecutesToSucceededAndIsSeenAsTheServiceWouldShowIt() throws Exception {
    LocalFlowRuns r = open();
    TriggerToken token = TriggerToken.fresh();

    FlowRun started = r.start(request(false), token);
    assertEquals("ACTIVE", started.status());
    assertTrue(r.await(started.runId(), Duration.ofSeconds(10)));

    FlowRun done = r.get(started.runId());
    assertEquals("SUCCEEDED", done.status());
    assertEquals("FlowSucceeded", done.detailsCode());
    assertEquals("second", done.details().at("/output/second/details/did").asText());
    assertTrue(done.tags().contains(token.value()));
    assertEquals(started.runId(), r.findByToken(token).orElseThrow().runId());
    assertEquals(List.of(), r.listActive());
    assertEquals(1, r.listEndedSince(Instant.now().minusSeconds(60)).size());
    assertEquals(0, r.listEndedSince(Instant.now().plusSeconds(60)).size());
    assertEquals(List.of("First entered", "Second entered"), r.logOf(started.runId()).stream()
        .map(l -> l.substring(l.indexOf(' ') + 1, l.indexOf(": "))).toList());
  }

  @Test
  void aFailingStateMakesTheRunFailedNamingTheState() throws Exception {
    LocalFlowRuns r = open();
    FlowRun started = r.start(request(true), TriggerToken.fresh());
    assertTrue(r.await(started.runId(), Duration.ofSeconds(10)));

    FlowRun done = r.get(started.runId());
    assertEquals("FAILED", done.status());
    assertEquals("FlowFailed", done.detailsCode());
    assertTrue(done.detailsDescription().startsWith("Second failed: ActionFailedException"),
        done.detailsDescription());
  }

  @Test
  void aRunWhoseProcessDiedResumesAtItsStateOnceAndNeverRunsTheStatesBefore() throws Exception {
    LocalFlowRuns r = open();
    secondMayEnd = new CountDownLatch(1);
    FlowRun started = r.start(request(false), TriggerToken.fresh());
    awaitCalls("second", 1);
    // As if the process was killed in Second: its workers stop, and its pid is not running any more.
    r.close();
    store.own(started.runId().toString(), "1@" + java.net.InetAddress.getLocalHost().getHostName() + "@0");
    secondMayEnd = new CountDownLatch(0);
    store.close();

    LocalFlowRuns next = open();
    assertEquals(1, next.resumeOrphans());
    assertTrue(next.await(started.runId(), Duration.ofSeconds(10)));

    assertEquals("SUCCEEDED", next.get(started.runId()).status());
    assertEquals(1, calls.get("first").get(), "First ran once");
    assertEquals(2, calls.get("second").get(), "Second was re-executed");
    assertTrue(next.logOf(started.runId()).stream().anyMatch(l -> l.contains("resumed: re-executing Second")),
        String.join("\n", next.logOf(started.runId())));
    assertEquals(0, next.resumeOrphans(), "an ended run is never resumed again");
  }

  @Test
  void aRunWhoseOwnerIsAliveIsNotTakenOver() throws Exception {
    LocalFlowRuns r = open();
    secondMayEnd = new CountDownLatch(1);
    FlowRun started = r.start(request(false), TriggerToken.fresh());
    awaitCalls("second", 1);

    try (LocalRunStore other = LocalRunStore.open(state)) {
      LocalFlowRuns second = new LocalFlowRuns(other, FlowInterpreter.of(JSON.readTree(DEFINITION), List.of(step),
          Map.of(), Timekeeper.SYSTEM), "f", "tester", 1, Clock.systemUTC());
      assertEquals(0, second.resumeOrphans(), "this process still runs it");
      second.close();
    }
    secondMayEnd.countDown();
    assertTrue(r.await(started.runId(), Duration.ofSeconds(10)));
    assertEquals(1, calls.get("second").get());
  }

  @Test
  void anUnknownRunIsNotFound() throws Exception {
    LocalFlowRuns r = open();
    assertThrows(NotFoundException.class, () -> r.get(UUID.randomUUID()));
    assertFalse(r.findByToken(TriggerToken.fresh()).isPresent());
  }

  private void awaitCalls(String name, int n) throws InterruptedException {
    long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (calls.getOrDefault(name, new AtomicInteger()).get() < n) {
      assertTrue(System.nanoTime() < end, "timed out waiting for " + name);
      Thread.sleep(10);
    }
  }
}
