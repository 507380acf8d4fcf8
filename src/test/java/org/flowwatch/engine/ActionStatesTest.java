package org.flowwatch.engine;

import static org.flowwatch.engine.EngineFixture.CONTEXT;
import static org.flowwatch.engine.EngineFixture.failed;
import static org.flowwatch.engine.EngineFixture.interpreter;
import static org.flowwatch.engine.EngineFixture.json;
import static org.flowwatch.engine.EngineFixture.run;
import static org.flowwatch.engine.EngineFixture.succeeded;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.flowwatch.engine.EngineFixture.FakeProvider;
import org.flowwatch.engine.EngineFixture.Recorder;
import org.junit.jupiter.api.Test;

/** Action states: parameters to the provider, results, ExceptionOnActionFailure, Catch and WaitTime. */
class ActionStatesTest {
  private static final String URL = "https://local.test/do";

  /** Catchers that reach both handlers (lint refuses unreachable states) but catch nothing the tests raise. */
  private static final String DEFAULT_CATCH = ", 'Catch': [{'ErrorEquals': ['ActionTimeout'], 'ResultPath': '$.wrong',"
      + " 'Next': 'Other'}, {'ErrorEquals': ['NeverRaised'], 'ResultPath': '$.wrong', 'Next': 'Handler'}]";

  /** An Action A, then Pass Done, with the default catchers; {@code extra} goes into A. */
  private static String action(String extra) {
    return actionCatching(extra, DEFAULT_CATCH);
  }

  /** An Action A, then Pass Done; {@code extra} goes into A, and {@code catchers} must lead to Handler and Other. */
  private static String actionCatching(String extra, String catchers) {
    return "{'StartAt': 'A', 'States': {"
        + "'A': {'Type': 'Action', 'ActionUrl': '" + URL + "', 'Parameters': {'path.$': '$.dir', 'n': 1},"
        + " 'ResultPath': '$.A', 'WaitTime': 60" + extra + catchers + ", 'Next': 'Done'},"
        + "'Handler': {'Type': 'Pass', 'Result': 'handled', 'ResultPath': '$.handled', 'End': true},"
        + "'Other': {'Type': 'Pass', 'Result': 'other', 'ResultPath': '$.handled', 'End': true},"
        + "'Done': {'Type': 'Pass', 'Result': 'done', 'ResultPath': '$.done', 'End': true}}}";
  }

  private static final String CATCH_FAILED = ", 'Catch': [{'ErrorEquals': ['ActionTimeout'], 'ResultPath': '$.wrong',"
      + " 'Next': 'Other'}, {'ErrorEquals': ['ActionFailedException', 'ActionUnableToRun'], 'ResultPath': '$.err',"
      + " 'Next': 'Handler'}]";

  @Test
  void theProviderGetsTheResolvedParametersAndItsStatusIsStoredAtResultPath() throws Exception {
    FakeProvider p = FakeProvider.echo(URL);
    RunResult r = run(action(""), "{'dir': '/data'}", p);
    assertTrue(r.succeeded());
    assertEquals(List.of(json("{'path': '/data', 'n': 1}")), p.calls);
    JsonNode stored = r.output().get("A");
    assertEquals("SUCCEEDED", stored.get("status").asText());
    assertEquals(json("{'path': '/data', 'n': 1}"), stored.get("details"));
    assertEquals("done", r.output().get("done").asText());
  }

  @Test
  void aFailedActionWithoutExceptionOnActionFailureIsStoredAndTheRunGoesOn() throws Exception {
    FakeProvider p = new FakeProvider(Set.of(URL), (u, params) -> failed(json("{'code': 'Exists'}")));
    RunResult r = run(actionCatching("", CATCH_FAILED), "{'dir': '/data'}", p);
    assertTrue(r.succeeded(), r::toString);
    assertEquals("FAILED", r.output().get("A").get("status").asText());
    assertEquals("done", r.output().get("done").asText());
    assertNull(r.output().get("err"));
  }

  @Test
  void aCaughtFailureStoresErrorAndCauseAtTheCatchResultPathAndContinuesAtItsNext() throws Exception {
    FakeProvider p = new FakeProvider(Set.of(URL), (u, params) -> failed(json("{'code': 'Exists'}")));
    Recorder events = new Recorder();
    RunResult r = interpreter(actionCatching(", 'ExceptionOnActionFailure': true", CATCH_FAILED), p)
        .run(json("{'dir': '/data'}"), CONTEXT, events);
    assertTrue(r.succeeded(), r::toString);
    assertEquals("handled", r.output().get("handled").asText());
    assertNull(r.output().get("wrong"), "the first catcher does not name ActionFailedException");
    JsonNode err = r.output().get("err");
    assertEquals("ActionFailedException", err.get("Error").asText());
    JsonNode cause = json(err.get("Cause").asText());
    assertEquals("FAILED", cause.get("status").asText());
    assertEquals("Exists", cause.get("details").get("code").asText());
    assertEquals(List.of("entered A Action", "caught A ActionFailedException -> Handler", "entered Handler Pass",
        "finished Handler -> null"), events.events);
  }

  @Test
  void anUncaughtFailureFailsTheRunNamingTheState() throws Exception {
    FakeProvider p = new FakeProvider(Set.of(URL), (u, params) -> {
      throw new ActionUnableToRunException("no collection 'x' is mapped to a local directory");
    });
    Recorder events = new Recorder();
    RunResult r = interpreter(action(""), p).run(json("{'dir': '/data'}"), CONTEXT, events);
    assertEquals(RunResult.FAILED, r.status());
    assertEquals("ActionUnableToRun", r.error());
    assertEquals("no collection 'x' is mapped to a local directory", r.cause());
    assertEquals("A", r.failedState());
    assertEquals(List.of("entered A Action", "failed A ActionUnableToRun"), events.events);
  }

  @Test
  void statesAllCatchesAnyActionErrorAndACatchWithoutResultPathReplacesTheState() throws Exception {
    FakeProvider p = new FakeProvider(Set.of(URL), (u, params) -> {
      throw new ActionUnableToRunException("refused");
    });
    RunResult r = run(actionCatching("", ", 'Catch': [{'ErrorEquals': ['States.ALL'], 'Next': 'Handler'},"
        + " {'ErrorEquals': ['ActionUnableToRun'], 'ResultPath': '$.wrong', 'Next': 'Other'}]"), "{'dir': '/d'}", p);
    assertTrue(r.succeeded());
    assertEquals(json("{'Error': 'ActionUnableToRun', 'Cause': 'refused', 'handled': 'handled'}"), r.output());
  }

  @Test
  void anActionThatOutlivesItsWaitTimeIsStoppedAndRaisesActionTimeout() throws Exception {
    CountDownLatch interrupted = new CountDownLatch(1);
    FakeProvider blocking = new FakeProvider(Set.of(URL), (u, params) -> {
      try {
        Thread.sleep(60_000);
      } catch (InterruptedException e) {
        interrupted.countDown();
        throw e;
      }
      return succeeded(params);
    });
    long start = System.nanoTime();
    RunResult r = run(actionCatching("", ", 'Catch': [{'ErrorEquals': ['ActionTimeout'], 'ResultPath': '$.late',"
        + " 'Next': 'Other'}, {'ErrorEquals': ['ActionFailedException'], 'ResultPath': '$.e', 'Next': 'Handler'}]")
        .replace("'WaitTime': 60", "'WaitTime': 1"), "{'dir': '/d'}", blocking);
    long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertTrue(r.succeeded(), r::toString);
    assertEquals("ActionTimeout", r.output().get("late").get("Error").asText());
    assertTrue(r.output().get("late").get("Cause").asText().contains("WaitTime 1 s"), r.output()::toString);
    assertTrue(interrupted.await(5, TimeUnit.SECONDS), "the provider was not interrupted");
    assertTrue(took >= 900 && took < 10_000, "took " + took + " ms");
  }

  @Test
  void interruptingTheRunStopsTheActionAndLeavesTheCheckpointToResumeFrom() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch stopped = new CountDownLatch(1);
    FakeProvider blocking = new FakeProvider(Set.of(URL), (u, params) -> {
      started.countDown();
      try {
        Thread.sleep(60_000);
      } catch (InterruptedException e) {
        stopped.countDown();
        throw e;
      }
      return succeeded(params);
    });
    FlowInterpreter engine = interpreter(action(""), blocking);
    Recorder events = new Recorder();
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    Thread runner = new Thread(() -> {
      try {
        engine.run(json("{'dir': '/d'}"), CONTEXT, events);
      } catch (Throwable t) {
        thrown.set(t);
      }
    });
    runner.start();
    assertTrue(started.await(5, TimeUnit.SECONDS));
    runner.interrupt();
    runner.join(10_000);
    assertTrue(stopped.await(1, TimeUnit.SECONDS), "the action was not stopped");
    assertTrue(thrown.get() instanceof InterruptedException, String.valueOf(thrown.get()));
    Checkpoint last = events.checkpoints.get(events.checkpoints.size() - 1);
    assertEquals(new Checkpoint("A", json("{'dir': '/d'}")), last);
  }

  @Test
  void resumingAtACheckpointRunsThatStateAgainAndFinishesTheRunOnce() throws Exception {
    FakeProvider p = FakeProvider.echo(URL);
    FlowInterpreter engine = interpreter(action(""), p);
    Recorder first = new Recorder();
    RunResult whole = engine.run(json("{'dir': '/d'}"), CONTEXT, first);
    assertEquals(List.of("A", "Done"), first.checkpoints.stream().map(Checkpoint::state).toList());

    Recorder second = new Recorder();
    RunResult resumed = engine.resume(first.checkpoints.get(0), CONTEXT, second);
    assertEquals(List.of("entered A Action", "finished A -> Done", "entered Done Pass", "finished Done -> null"),
        second.events);
    assertEquals(2, p.calls.size(), "A ran again on resume");
    assertEquals(whole.output().get("done"), resumed.output().get("done"));

    Recorder third = new Recorder();
    RunResult fromDone = engine.resume(first.checkpoints.get(1), CONTEXT, third);
    assertEquals(2, p.calls.size(), "resuming after A does not run A");
    assertEquals(whole.output().get("A").get("details"), fromDone.output().get("A").get("details"));
  }

  @Test
  void resumingAtAStateTheDefinitionLacksSaysWhichStatesItHas() throws Exception {
    FlowInterpreter engine = interpreter(action(""), FakeProvider.echo(URL));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> engine.resume(new Checkpoint("Gone", json("{}")), CONTEXT, RunListener.NONE));
    assertTrue(e.getMessage().contains("its states are A, Handler, Other, Done"), e.getMessage());
  }

  @Test
  void anActionUrlNoProviderServesRefusesTheDefinitionListingTheSupportedOnes() {
    FakeProvider transfer = FakeProvider.echo("https://transfer.actions.globus.org/transfer",
        "https://transfer.actions.globus.org/mkdir");
    DefinitionRefusedException e = assertThrows(DefinitionRefusedException.class,
        () -> interpreter(action(""), transfer));
    assertEquals(List.of("/States/A/ActionUrl: no local action provider serves '" + URL + "'; the local engine serves"
        + " https://transfer.actions.globus.org/mkdir, https://transfer.actions.globus.org/transfer"), e.problems());
    assertTrue(transfer.calls.isEmpty());
  }

  @Test
  void aTrailingSlashOnTheActionUrlFindsTheSameProvider() throws Exception {
    FakeProvider p = FakeProvider.echo(URL);
    assertTrue(run(action("").replace(URL + "'", URL + "/'"), "{'dir': '/d'}", p).succeeded());
    assertEquals(1, p.calls.size());
  }

  @Test
  void aDefinitionWithALintErrorIsRefusedBeforeAnythingRuns() {
    FakeProvider p = FakeProvider.echo(URL);
    DefinitionRefusedException e = assertThrows(DefinitionRefusedException.class,
        () -> interpreter(action("").replace("'Next': 'Done'", "'Next': 'Nowhere'"), p));
    assertTrue(e.getMessage().contains("the Globus Flows service would refuse test.json"), e.getMessage());
    assertTrue(e.problems().stream().anyMatch(line -> line.contains("FW106") && line.contains("Nowhere")),
        e.problems()::toString);
    assertTrue(p.calls.isEmpty());
  }

  @Test
  void anExpressionOutsideTheSubsetIsRefusedBeforeAnythingRunsNamingWhere() {
    FakeProvider p = FakeProvider.echo(URL);
    DefinitionRefusedException e = assertThrows(DefinitionRefusedException.class,
        () -> interpreter(action("").replace("'n': 1", "'n.=': 'sorted(dir)'"), p));
    assertEquals(1, e.problems().size(), e.problems()::toString);
    assertTrue(e.problems().get(0).startsWith("/States/A/Parameters/n.=: expression \"sorted(dir)\": the function"
        + " 'sorted' is not one the local engine knows"), e.problems().get(0));
    assertFalse(e.getMessage().contains("would refuse"));
  }

  @Test
  void providerProgressReachesTheListenerNamingTheState() throws Exception {
    ActionProvider talking = new ActionProvider() {
      @Override
      public Set<String> urls() {
        return Set.of(URL);
      }

      @Override
      public ActionStatus run(String url, JsonNode parameters, ActionContext context) {
        context.progress().accept("transferred 3 files");
        assertEquals("A", context.state());
        assertEquals("run-1", context.runId());
        return succeeded(parameters);
      }
    };
    Recorder events = new Recorder();
    assertTrue(interpreter(action(""), talking).run(json("{'dir': '/d'}"), CONTEXT, events).succeeded());
    assertTrue(events.events.contains("progress A transferred 3 files"), events.events::toString);
  }

  @Test
  void aProviderThatBreaksIsActionUnableToRunNamingTheUrlAndTheFault() throws Exception {
    FakeProvider broken = new FakeProvider(Set.of(URL), (u, params) -> {
      throw new IllegalStateException("index out of range");
    });
    RunResult r = run(action(""), "{'dir': '/d'}", broken);
    assertEquals("ActionUnableToRun", r.error());
    assertTrue(r.cause().contains("the local provider for " + URL + " broke: java.lang.IllegalStateException: index out"
        + " of range"), r.cause());
  }
}
