package org.flowwatch.engine;

import static org.flowwatch.engine.EngineFixture.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ChoicesTest {

  private static boolean holds(String op, String value, String operand) throws StateFailure {
    ObjectNode rule = (ObjectNode) json("{'Variable': '$.v'}");
    rule.set(op, json(operand));
    return Choices.holds(rule, json("{'v': " + value + "}"));
  }

  /** The same comparison through {@code <op>Path}: the operand is read from {@code $.w}. */
  private static boolean holdsByPath(String op, String value, String operand) throws StateFailure {
    JsonNode rule = json("{'Variable': '$.v', '" + op + "Path': '$.w'}");
    return Choices.holds(rule, json("{'v': " + value + ", 'w': " + operand + "}"));
  }

  @ParameterizedTest(name = "{1} {0} {2} is {3}")
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      "StringEquals | 'dir' | 'dir' | true",
      "StringEquals | 'dir' | 'file' | false",
      "StringEquals | 3 | '3' | false",
      "StringLessThan | 'abc' | 'abd' | true",
      "StringLessThan | 'abd' | 'abd' | false",
      "StringGreaterThan | 'b' | 'a' | true",
      "StringGreaterThan | 'a' | 'a' | false",
      "StringLessThanEquals | 'a' | 'a' | true",
      "StringLessThanEquals | 'b' | 'a' | false",
      "StringGreaterThanEquals | 'a' | 'a' | true",
      "StringGreaterThanEquals | 'a' | 'b' | false",
      "NumericEquals | 3 | 3.0 | true",
      "NumericEquals | 3 | 4 | false",
      "NumericEquals | '3' | 3 | false",
      "NumericLessThan | 2 | 3 | true",
      "NumericLessThan | 3 | 3 | false",
      "NumericGreaterThan | 3.5 | 3 | true",
      "NumericGreaterThan | 3 | 3 | false",
      "NumericLessThanEquals | 3 | 3 | true",
      "NumericLessThanEquals | 4 | 3 | false",
      "NumericGreaterThanEquals | 3 | 3 | true",
      "NumericGreaterThanEquals | 2 | 3 | false",
      "BooleanEquals | true | true | true",
      "BooleanEquals | false | true | false",
      "BooleanEquals | 'true' | true | false",
      "TimestampEquals | '2026-12-03T08:00:00Z' | '2026-12-03T09:00:00+01:00' | true",
      "TimestampEquals | '2026-12-03T08:00:00Z' | '2026-12-03T08:00:01Z' | false",
      "TimestampEquals | 'not a time' | '2026-12-03T08:00:00Z' | false",
      "TimestampLessThan | '2026-12-03T07:59:59Z' | '2026-12-03T08:00:00Z' | true",
      "TimestampLessThan | '2026-12-03T08:00:00Z' | '2026-12-03T08:00:00Z' | false",
      "TimestampGreaterThan | '2026-12-03T08:00:01Z' | '2026-12-03T08:00:00Z' | true",
      "TimestampGreaterThan | '2026-12-03T08:00:00Z' | '2026-12-03T08:00:00Z' | false",
      "TimestampLessThanEquals | '2026-12-03T08:00:00Z' | '2026-12-03T08:00:00Z' | true",
      "TimestampLessThanEquals | '2026-12-03T08:00:01Z' | '2026-12-03T08:00:00Z' | false",
      "TimestampGreaterThanEquals | '2026-12-03T08:00:00Z' | '2026-12-03T08:00:00Z' | true",
      "TimestampGreaterThanEquals | '2026-12-03T07:00:00Z' | '2026-12-03T08:00:00Z' | false",
  })
  void comparesAsTheOperatorSays(String op, String value, String operand, boolean expected) throws StateFailure {
    assertEquals(expected, holds(op, value, operand), op + " literal");
    assertEquals(expected, holdsByPath(op, value, operand), op + "Path");
  }

  @ParameterizedTest(name = "{0} matches {1}: {2}")
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      "'run-1217-00.evt' | '*.evt' | true",
      "'run-1217-00.evt' | 'run-*-00.*' | true",
      "'run-1217-00.root' | '*.evt' | false",
      "'a*b' | 'a\\\\*b' | true",
      "'axb' | 'a\\\\*b' | false",
      "'a.b' | 'a?b' | false",
      "7 | '*' | false",
  })
  void stringMatchesIsAGlobWithStarOnly(String value, String glob, boolean expected) throws StateFailure {
    assertEquals(expected, holds("StringMatches", value, glob));
  }

  @ParameterizedTest(name = "{0} of {1} is {2}")
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      "IsNull | null | true",
      "IsNull | 0 | false",
      "IsString | 'x' | true",
      "IsString | 1 | false",
      "IsNumeric | 1.5 | true",
      "IsNumeric | '1.5' | false",
      "IsBoolean | false | true",
      "IsBoolean | 'false' | false",
      "IsTimestamp | '2026-12-03T08:00:00Z' | true",
      "IsTimestamp | '2026-12-03' | false",
      "IsPresent | null | true",
  })
  void typeTestsCompareWithTheirBoolean(String op, String value, boolean expected) throws StateFailure {
    assertEquals(expected, holds(op, value, "true"), op + ": true");
    assertEquals(!expected, holds(op, value, "false"), op + ": false");
  }

  @Test
  void isPresentIsFalseForAnAbsentPathAndGuardsTheComparisonAfterIt() throws StateFailure {
    JsonNode guarded = json("{'And': [{'Variable': '$.stat.type', 'IsPresent': true},"
        + " {'Variable': '$.stat.type', 'StringEquals': 'dir'}]}");
    assertFalse(Choices.holds(guarded, json("{}")));
    assertTrue(Choices.holds(guarded, json("{'stat': {'type': 'dir'}}")));
    assertTrue(Choices.holds(json("{'Variable': '$.gone', 'IsPresent': false}"), json("{}")));
  }

  @Test
  void aComparisonOnAnAbsentPathFailsTheRunNamingWhatIsMissing() {
    StateFailure e = assertThrows(StateFailure.class,
        () -> Choices.holds(json("{'Variable': '$.stat.type', 'StringEquals': 'dir'}"), json("{'stat': {'x': 1}}")));
    assertEquals(StateFailure.RUNTIME, e.error());
    assertTrue(e.cause().contains("$.stat has no .type (its keys are x)"), e.cause());
  }

  @Test
  void andOrNotCombineRules() throws StateFailure {
    JsonNode state = json("{'n': 5, 's': 'x'}");
    String five = "{'Variable': '$.n', 'NumericEquals': 5}";
    String six = "{'Variable': '$.n', 'NumericEquals': 6}";
    assertTrue(Choices.holds(json("{'And': [" + five + ", {'Not': " + six + "}]}"), state));
    assertFalse(Choices.holds(json("{'And': [" + five + ", " + six + "]}"), state));
    assertTrue(Choices.holds(json("{'Or': [" + six + ", " + five + "]}"), state));
    assertFalse(Choices.holds(json("{'Or': [" + six + ", {'Not': " + five + "}]}"), state));
    assertFalse(Choices.holds(json("{'Not': " + five + "}"), state));
  }

  @Test
  void theFirstRuleThatHoldsWinsThenDefaultThenNoChoiceMatched() throws StateFailure {
    JsonNode choice = json("{'Type': 'Choice', 'Choices': ["
        + "{'Variable': '$.n', 'NumericGreaterThan': 1, 'Next': 'Big'},"
        + "{'Variable': '$.n', 'NumericGreaterThan': 0, 'Next': 'Small'}], 'Default': 'None'}");
    assertEquals("Big", Choices.next(choice, json("{'n': 5}")));
    assertEquals("Small", Choices.next(choice, json("{'n': 1}")));
    assertEquals("None", Choices.next(choice, json("{'n': 0}")));
    ((ObjectNode) choice).remove("Default");
    StateFailure e = assertThrows(StateFailure.class, () -> Choices.next(choice, json("{'n': 0}")));
    assertEquals("States.NoChoiceMatched", e.error());
    assertFalse(e.catchable());
  }
}
