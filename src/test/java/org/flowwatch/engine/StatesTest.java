package org.flowwatch.engine;

import static org.flowwatch.engine.EngineFixture.json;
import static org.flowwatch.engine.EngineFixture.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.flowwatch.engine.EngineFixture.FakeTime;
import org.flowwatch.flow.JsonDocument;
import org.junit.jupiter.api.Test;

/** Pass, ExpressionEval, Wait, Fail and Choice states, and the parameter and path forms they share. */
class StatesTest {

  private static String one(String state) {
    return "{'StartAt': 'S', 'States': {'S': " + state + "}}";
  }

  @Test
  void passStoresItsResultAtResultPathCreatingTheObjectsOnTheWay() throws Exception {
    RunResult r = run(one("{'Type': 'Pass', 'Result': {'a': 1}, 'ResultPath': '$.x.y', 'End': true}"),
        "{'keep': true}");
    assertTrue(r.succeeded());
    assertEquals(json("{'keep': true, 'x': {'y': {'a': 1}}}"), r.output());
  }

  @Test
  void resultPathDollarReplacesTheWholeState() throws Exception {
    RunResult r = run(one("{'Type': 'Pass', 'Result': {'a': 1}, 'ResultPath': '$', 'End': true}"), "{'gone': 1}");
    assertEquals(json("{'a': 1}"), r.output());
  }

  @Test
  void aMissingResultPathMeansDollar() throws Exception {
    RunResult r = run(one("{'Type': 'Pass', 'Result': {'a': 1}, 'End': true}"), "{'gone': 1}");
    assertEquals(json("{'a': 1}"), r.output());
  }

  @Test
  void aNullResultPathDiscardsTheResult() throws Exception {
    RunResult r = run(one("{'Type': 'Pass', 'Result': {'a': 1}, 'ResultPath': null, 'End': true}"), "{'kept': 1}");
    assertEquals(json("{'kept': 1}"), r.output());
  }

  @Test
  void inputPathSelectsWhatTheStateReads() throws Exception {
    RunResult r = run(one("{'Type': 'Pass', 'InputPath': '$.sub', 'ResultPath': '$.copy', 'End': true}"),
        "{'sub': {'v': [1, 2]}}");
    assertEquals(json("{'sub': {'v': [1, 2]}, 'copy': {'v': [1, 2]}}"), r.output());
  }

  @Test
  void parametersFillInReferencesExpressionsAndTheRunContextAllTheWayDown() throws Exception {
    RunResult r = run(one("{'Type': 'Pass', 'Parameters': {"
            + "'ref.$': '$.x.y', 'sum.=': 'x.y + 1', 'run.$': '$._context.run_id', 'user.=': '_context.username',"
            + "'nested': {'second.$': '$.list[1]', 'items': [{'odd.$': '$[`odd key`]'}]}, 'const': 5},"
            + " 'ResultPath': '$.p', 'End': true}"),
        "{'x': {'y': 41}, 'list': ['a', 'b'], 'odd key': 'o'}");
    assertEquals(json("{'ref': 41, 'sum': 42, 'run': 'run-1', 'user': 'alice@example.org',"
        + " 'nested': {'second': 'b', 'items': [{'odd': 'o'}]}, 'const': 5}"), r.output().get("p"));
  }

  @Test
  void theRunContextIsReadableButNeverStoredInTheOutput() throws Exception {
    RunResult r = run(one("{'Type': 'Pass', 'ResultPath': '$', 'End': true}"), "{'a': 1}");
    assertEquals(json("{'a': 1}"), r.output());
  }

  @Test
  void aReferenceThatSelectsNothingFailsTheRunNamingTheStateAndTheMissingKey() throws Exception {
    RunResult r = run(one("{'Type': 'Pass', 'Parameters': {'v.$': '$.a.b'}, 'ResultPath': '$.p', 'End': true}"),
        "{'a': {'c': 1}}");
    assertFalse(r.succeeded());
    assertEquals("S", r.failedState());
    assertEquals("States.Runtime", r.error());
    assertTrue(r.cause().contains("parameter 'v.$' '$.a.b' selects nothing: $.a has no .b (its keys are c)"),
        r.cause());
  }

  @Test
  void expressionEvalStoresItsComputedParametersAtResultPath() throws Exception {
    RunResult r = run("{'StartAt': 'E', 'States': {"
            + "'E': {'Type': 'ExpressionEval', 'Parameters': {'name.=': 'pathsplit(src)[1] + `.tar`',"
            + " 'big.=': 'n > 10'}, 'ResultPath': '$.computed', 'Next': 'Done'},"
            + "'Done': {'Type': 'Pass', 'End': true, 'ResultPath': null}}}",
        "{'src': '/data/run1217', 'n': 3}");
    assertEquals(json("{'name': 'run1217.tar', 'big': false}"), r.output().get("computed"));
  }

  private static FakeTime waitWith(String waitFields, String input) throws Exception {
    FakeTime time = new FakeTime();
    String def = "{'StartAt': 'W', 'States': {'W': {'Type': 'Wait', " + waitFields + ", 'Next': 'Done'},"
        + " 'Done': {'Type': 'Pass', 'End': true, 'ResultPath': null}}}";
    FlowInterpreter engine = new FlowInterpreter(JsonDocument.parse(EngineFixture.quotes(def), "wait.json"), List.of(),
        Map.of(), time);
    assertTrue(engine.run(json(input), EngineFixture.CONTEXT, RunListener.NONE).succeeded());
    return time;
  }

  @Test
  void waitSleepsTheSecondsItIsGivenOrReads() throws Exception {
    assertEquals(List.of(Duration.ofSeconds(90)), waitWith("'Seconds': 90", "{}").slept);
    assertEquals(List.of(Duration.ofSeconds(5)), waitWith("'SecondsPath': '$.delay'", "{'delay': 5}").slept);
  }

  @Test
  void waitSleepsUntilTheTimestampItIsGivenOrReads() throws Exception {
    // FakeTime starts at 2026-12-03T08:00:00Z.
    assertEquals(List.of(Duration.ofMinutes(10)), waitWith("'Timestamp': '2026-12-03T08:10:00Z'", "{}").slept);
    assertEquals(List.of(Duration.ofHours(1)),
        waitWith("'TimestampPath': '$.at'", "{'at': '2026-12-03T10:00:00+01:00'}").slept);
    assertEquals(List.of(Duration.ZERO), waitWith("'Timestamp': '2026-12-03T07:00:00Z'", "{}").slept);
  }

  @Test
  void failEndsTheRunWithItsErrorCauseAndName() throws Exception {
    RunResult r = run("{'StartAt': 'P', 'States': {'P': {'Type': 'Pass', 'Result': 1, 'ResultPath': '$.p',"
        + " 'Next': 'Broken'}, 'Broken': {'Type': 'Fail', 'Error': 'MakeDirectoryFailed', 'Cause': 'no dir'}}}", "{}");
    assertEquals(RunResult.FAILED, r.status());
    assertEquals("MakeDirectoryFailed", r.error());
    assertEquals("no dir", r.cause());
    assertEquals("Broken", r.failedState());
    assertEquals(json("{'p': 1}"), r.output());
  }

  @Test
  void choiceGoesToTheMatchingRuleOrDefaultAndFailsTheRunWhenNoneMatches() throws Exception {
    String def = "{'StartAt': 'C', 'States': {'C': {'Type': 'Choice', 'Choices': ["
        + "{'Variable': '$.kind', 'StringEquals': 'dir', 'Next': 'IsDir'}]%s},"
        + " 'IsDir': {'Type': 'Pass', 'Result': 'dir', 'ResultPath': '$.went', 'End': true},"
        + " 'Other': {'Type': 'Pass', 'Result': 'other', 'ResultPath': '$.went', 'End': true}}}";
    String withDefault = def.formatted(", 'Default': 'Other'");
    assertEquals("dir", run(withDefault, "{'kind': 'dir'}").output().get("went").asText());
    assertEquals("other", run(withDefault, "{'kind': 'file'}").output().get("went").asText());
    RunResult none = run("{'StartAt': 'C', 'States': {'C': {'Type': 'Choice', 'Choices': ["
        + "{'Variable': '$.kind', 'StringEquals': 'dir', 'Next': 'IsDir'}]},"
        + " 'IsDir': {'Type': 'Pass', 'End': true}}}", "{'kind': 'file'}");
    assertEquals("States.NoChoiceMatched", none.error());
    assertEquals("C", none.failedState());
  }

  @Test
  void theRunRecordIsShapedLikeTheServices() throws Exception {
    RunResult r = run(one("{'Type': 'Pass', 'Result': 2, 'ResultPath': '$.two', 'End': true}"), "{}");
    assertEquals(json("{'run_id': 'run-1', 'flow_id': 'flow-1', 'status': 'SUCCEEDED',"
        + " 'details': {'output': {'two': 2}}}"), r.toRunRecord(EngineFixture.CONTEXT));
  }

  @Test
  void aDefinitionGivenAsATreeIsLintedAndRunTheSameWay() throws Exception {
    FlowInterpreter engine = FlowInterpreter.of(json(one("{'Type': 'Pass', 'Result': 3, 'ResultPath': '$.r',"
        + " 'End': true}")), List.of(), Map.of(), new FakeTime());
    assertEquals(json("{'r': 3}"), engine.run(json("{}"), EngineFixture.CONTEXT, RunListener.NONE).output());
    DefinitionRefusedException e = org.junit.jupiter.api.Assertions.assertThrows(DefinitionRefusedException.class,
        () -> FlowInterpreter.of(json("{'StartAt': 'Nope', 'States': {}}"), List.of(), Map.of(), new FakeTime()));
    assertTrue(e.getMessage().startsWith("the Globus Flows service would refuse the flow definition"), e.getMessage());
    assertTrue(e.problems().stream().anyMatch(p -> p.contains("FW101")), e.problems()::toString);
  }
}
