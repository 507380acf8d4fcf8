package org.flowwatch.watch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import org.flowwatch.globus.flows.FlowRun;
import org.flowwatch.globus.flows.FlowRuns;
import org.flowwatch.globus.flows.StartRun;
import org.flowwatch.globus.flows.TriggerToken;
import org.flowwatch.ledger.HistoryEntry;
import org.flowwatch.ledger.Ledger;
import org.flowwatch.ledger.RunState;
import org.flowwatch.ledger.Transition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** RunControl on a real ledger, with a service that answers resume and cancel as told. */
class RunControlTest {
  private static final UUID RUN = UUID.fromString("36ad9f9a-ad29-488f-beb4-c22ab729643a");

  @TempDir Path dir;
  private Ledger ledger;

  @BeforeEach
  void open() {
    ledger = Ledger.open(dir.resolve("ledger.db"), dir, Clock.systemUTC());
  }

  @AfterEach
  void close() {
    ledger.close();
  }

  private static FlowRun run(String status, String code) {
    return new FlowRun(RUN, InMemoryFlowRuns.FLOW, status, "run1 · fw-3f9a2c1b", List.of(), Instant.now(), null, code,
        null, null, null);
  }

  /** A service whose resume and cancel answer {@code answer}; start, find, get and lists are not used here. */
  private static FlowRuns answering(Function<UUID, FlowRun> answer) {
    return new FlowRuns() {
      @Override public void authorizeStart() { throw new AssertionError("not used"); }
      @Override public FlowRun start(StartRun r, TriggerToken t) { throw new AssertionError("not used"); }
      @Override public Optional<FlowRun> findByToken(TriggerToken t) { throw new AssertionError("not used"); }
      @Override public FlowRun get(UUID id) { throw new AssertionError("not used"); }
      @Override public List<FlowRun> listActive() { throw new AssertionError("not used"); }
      @Override public List<FlowRun> listEndedSince(Instant since) { throw new AssertionError("not used"); }
      @Override public FlowRun resume(UUID id) { return answer.apply(id); }
      @Override public FlowRun cancel(UUID id) { return answer.apply(id); }
    };
  }

  @Test
  void aResumeTheServiceStillShowsInactiveIsRecordedAsAHistoryLineInTheSameState() {
    ledger.apply(Transition.of("run1", RunState.INACTIVE).runId(RUN.toString()).error("ConsentRequired"));

    RunControl.Result r = new RunControl(ledger, answering(id -> run("INACTIVE", "ConsentRequired")))
        .apply(RunControl.Action.RESUME, "run1");

    assertEquals(RunControl.Outcome.DONE, r.outcome());
    assertEquals(RunState.INACTIVE, ledger.get("run1").orElseThrow().state());
    HistoryEntry last = ledger.history("run1").get(ledger.history("run1").size() - 1);
    assertEquals("resumed by hand; the service answered INACTIVE (ConsentRequired)", last.reason());
    assertEquals("ConsentRequired", ledger.get("run1").orElseThrow().lastError(), "still waiting: the error stays");
  }

  @Test
  void aCancelAnsweredWhileTheAgentRecordedTheEndKeepsTheAgentsState() {
    ledger.apply(Transition.of("run1", RunState.ACTIVE).runId(RUN.toString()));
    FlowRuns racing = answering(id -> {
      // The agent's poll lands between the request and its answer.
      ledger.apply(Transition.of("run1", RunState.SUCCEEDED).from(RunState.ACTIVE).reason("FlowSucceeded"));
      return run("SUCCEEDED", "FlowSucceeded");
    });

    RunControl.Result r = new RunControl(ledger, racing).apply(RunControl.Action.CANCEL, "run1");

    assertEquals(RunControl.Outcome.SENT_ROW_MOVED, r.outcome());
    assertTrue(r.sent());
    assertEquals(RunState.SUCCEEDED, r.after());
    assertEquals(RunState.SUCCEEDED, ledger.get("run1").orElseThrow().state());
    assertTrue(r.message().contains("that state is kept"), r.message());
  }

  @Test
  void aRowWithoutARunIsRefusedWithoutAsking() {
    ledger.apply(Transition.of("run1", RunState.READY));

    RunControl.Result r = new RunControl(ledger, answering(id -> {
      throw new AssertionError("nothing may be sent");
    })).apply(RunControl.Action.CANCEL, "run1");

    assertEquals(RunControl.Outcome.WRONG_STATE, r.outcome());
    assertTrue(r.message().contains("run1 is READY with no flow run"), r.message());
  }
}
