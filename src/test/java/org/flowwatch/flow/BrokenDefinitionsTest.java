package org.flowwatch.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A table of broken definitions and schemas: each starts from a flow that lints clean, breaks one thing,
 * and must produce that fault's finding at the place of the fault.
 */
class BrokenDefinitionsTest {

  /** A small flow that follows every rule: copy, check, succeed or fail. */
  static final String GOOD = json("""
      {
        'Comment': 'Copy a directory and report',
        'StartAt': 'Copy',
        'States': {
          'Copy': {
            'Type': 'Action',
            'ActionUrl': 'https://transfer.actions.globus.org/transfer',
            'Parameters': {
              'source_endpoint.$': '$.source.id',
              'destination_endpoint.$': '$.destination.id',
              'DATA': [{'source_path.$': '$.source.path', 'destination_path.$': '$.destination.path'}]
            },
            'ResultPath': '$.copy',
            'WaitTime': 3600,
            'ExceptionOnActionFailure': true,
            'Catch': [{'ErrorEquals': ['ActionUnableToRun', 'ActionTimeout'], 'ResultPath': '$.copy_error', 'Next': 'Failed'}],
            'Next': 'Check'
          },
          'Check': {
            'Type': 'Choice',
            'Choices': [{'Variable': '$.copy.status', 'StringEquals': 'SUCCEEDED', 'Next': 'Done'}],
            'Default': 'Failed'
          },
          'Done': {'Type': 'Pass', 'End': true},
          'Failed': {'Type': 'Fail', 'Error': 'CopyFailed', 'Cause': 'see the run log'}
        }
      }
      """);

  static final String SCHEMA = json("""
      {
        'type': 'object',
        'required': ['source', 'destination'],
        'properties': {
          'source': {'type': 'object', 'properties': {'id': {'type': 'string'}, 'path': {'type': 'string'}},
                     'additionalProperties': false},
          'destination': {'type': 'object', 'properties': {'id': {'type': 'string'}, 'path': {'type': 'string'}},
                          'additionalProperties': false}
        },
        'additionalProperties': false
      }
      """);

  /** Definitions are written with ' for readability; JSON wants ". */
  private static String json(String text) {
    return text.replace('\'', '"');
  }

  /** The text with the first occurrence of {@code from} replaced. */
  private static String replace(String text, String from, String to) {
    String a = json(from);
    int at = text.indexOf(a);
    assertTrue(at >= 0, () -> "the fixture does not contain " + a);
    return text.substring(0, at) + json(to) + text.substring(at + a.length());
  }

  private static String broken(String from, String to) {
    return replace(GOOD, from, to);
  }

  static LintReport lint(String definition, String schema) {
    return new FlowLinter().lint(JsonDocument.parse(definition, "flow.json"), JsonDocument.parse(schema, "schema.json"));
  }

  @Test
  void theStartingPointLintsClean() {
    assertEquals(List.of(), lint(GOOD, SCHEMA).lines());
  }

  static Stream<Arguments> faults() {
    String doneState = "'Done': {'Type': 'Pass', 'End': true},";
    return Stream.of(
        Arguments.of("a comma is missing", broken("'ResultPath': '$.copy',", "'ResultPath': '$.copy'"),
            "FW001", ""),
        Arguments.of("a state is defined twice", broken(doneState, doneState + " 'Done': {'Type': 'Fail'},"),
            "FW002", "/States/Done"),
        Arguments.of("StartAt is misspelt", broken("'StartAt': 'Copy'", "'StartAt': 'Cpoy'"), "FW101", "/StartAt"),
        Arguments.of("there are no states", json("{'StartAt': 'A', 'States': {}}"), "FW102", "/States"),
        Arguments.of("an ASL Task state", broken("'Type': 'Action'", "'Type': 'Task'"), "FW103",
            "/States/Copy/Type"),
        Arguments.of("an Action without ActionUrl",
            broken("'ActionUrl': 'https://transfer.actions.globus.org/transfer',", ""), "FW104", "/States/Copy"),
        Arguments.of("WaitTime as text", broken("'WaitTime': 3600", "'WaitTime': '1h'"), "FW105",
            "/States/Copy/WaitTime"),
        Arguments.of("Next names no state", broken("'Next': 'Check'", "'Next': 'Chek'"), "FW106",
            "/States/Copy/Next"),
        Arguments.of("a state nothing leads to", broken(doneState, doneState + " 'Orphan': {'Type': 'Pass', 'End': true},"),
            "FW107", "/States/Orphan"),
        Arguments.of("nothing ends the flow",
            json("{'StartAt': 'Poll', 'States': {'Poll': {'Type': 'Wait', 'Seconds': 60, 'Next': 'Poll'}}}"),
            "FW108", "/States"),
        Arguments.of("a state with neither Next nor End", broken("'Done': {'Type': 'Pass', 'End': true}",
            "'Done': {'Type': 'Pass'}"), "FW109", "/States/Done"),
        Arguments.of("both Next and End", broken("'Next': 'Check'", "'Next': 'Check', 'End': true"), "FW110",
            "/States/Copy/End"),
        Arguments.of("a loop nothing can leave", json("{'StartAt': 'A', 'States': {"
            + "'A': {'Type': 'Pass', 'Next': 'B'}, 'B': {'Type': 'Pass', 'Next': 'A'},"
            + " 'F': {'Type': 'Fail'}}}"), "FW111", "/States/A"),
        Arguments.of("a misspelt field", broken("'ResultPath': '$.copy',", "'ResultPth': '$.copy',"), "FW112",
            "/States/Copy/ResultPth"),
        Arguments.of("OutputPath", broken("'Done': {'Type': 'Pass', 'End': true}",
            "'Done': {'Type': 'Pass', 'OutputPath': '$.copy', 'End': true}"), "FW113", "/States/Done/OutputPath"),
        Arguments.of("an unknown Choice comparison", broken("'StringEquals': 'SUCCEEDED'",
            "'StringEqual': 'SUCCEEDED'"), "FW114", "/States/Check/Choices/0/StringEqual"),
        Arguments.of("a '.$' value that is not a JSONPath", broken("'source_endpoint.$': '$.source.id'",
            "'source_endpoint.$': 'source.id'"), "FW201", "/States/Copy/Parameters/source_endpoint.$"),
        Arguments.of("a read the schema forbids", broken("'source_path.$': '$.source.path'",
            "'source_path.$': '$.source.directory'"), "FW202", "/States/Copy/Parameters/DATA/0/source_path.$"),
        Arguments.of("a read of a result not yet written", broken("'source_path.$': '$.source.path'",
            "'source_path.$': '$.copy.details.path'"), "FW203", "/States/Copy/Parameters/DATA/0/source_path.$"),
        Arguments.of("a result that overwrites input", broken("'ResultPath': '$.copy',", "'ResultPath': '$.source',"),
            "FW204", "/States/Copy/ResultPath"),
        Arguments.of("an Action without ResultPath", broken("'ResultPath': '$.copy',", ""), "FW205", "/States/Copy"),
        Arguments.of("a Catch without ResultPath", broken("'ResultPath': '$.copy_error',", ""), "FW206",
            "/States/Copy/Catch/0"),
        Arguments.of("a result written into the context", broken("'ResultPath': '$.copy',",
            "'ResultPath': '$._context.copy',"), "FW207", "/States/Copy/ResultPath"),
        Arguments.of("a retired transfer URL", broken("https://transfer.actions.globus.org/transfer",
            "https://actions.globus.org/transfer/transfer"), "FW301", "/States/Copy/ActionUrl"),
        Arguments.of("an Action without Catch", broken("'Catch': [{'ErrorEquals': ['ActionUnableToRun',"
            + " 'ActionTimeout'], 'ResultPath': '$.copy_error', 'Next': 'Failed'}],", ""), "FW302", "/States/Copy"),
        Arguments.of("an Action without WaitTime", broken("'WaitTime': 3600,", ""), "FW303", "/States/Copy"),
        Arguments.of("an Action without ExceptionOnActionFailure", broken("'ExceptionOnActionFailure': true,", ""),
            "FW304", "/States/Copy"),
        Arguments.of("Compute's v2 provider", broken("https://transfer.actions.globus.org/transfer",
            "https://compute.actions.globus.org/"), "FW305", "/States/Copy/ActionUrl"),
        Arguments.of("a plain http URL", broken("https://transfer.actions.globus.org/transfer",
            "http://transfer.actions.globus.org/transfer"), "FW306", "/States/Copy/ActionUrl"));
  }

  @ParameterizedTest(name = "{0} → {2}")
  @MethodSource("faults")
  void eachBrokenDefinitionProducesItsFinding(String fault, String definition, String id, String pointer) {
    LintReport report = lint(definition, SCHEMA);

    List<Finding> found = report.withRule(LintRule.valueOf(id));
    assertTrue(found.stream().anyMatch(f -> f.pointer().equals(pointer)),
        () -> fault + ": expected " + id + " at " + pointer + ", got:\n" + String.join("\n", report.lines()));
    assertTrue(found.stream().allMatch(f -> f.location().isKnown()), () -> "no line for " + found);
  }

  static Stream<Arguments> brokenSchemas() {
    return Stream.of(
        Arguments.of("a misspelt type", replace(SCHEMA, "'type': 'object',\n  'required'",
            "'type': 'obj',\n  'required'"), "FW401", "/type"),
        Arguments.of("required as text", replace(SCHEMA, "'required': ['source', 'destination']",
            "'required': 'source'"), "FW401", "/required"),
        Arguments.of("a pattern that is no regular expression", replace(SCHEMA, "'path': {'type': 'string'}",
            "'path': {'type': 'string', 'pattern': '(['}"), "FW401", "/properties/source/properties/path/pattern"),
        Arguments.of("a schema on the web", replace(SCHEMA, "'type': 'object',\n  'required'",
            "'$ref': 'https://example.org/run.json', 'type': 'object',\n  'required'"), "FW402", ""),
        Arguments.of("a list instead of a schema", "[]", "FW402", ""),
        Arguments.of("a schema of draft 2020-12", replace(SCHEMA, "'type': 'object',\n  'required'",
            "'$schema': 'https://json-schema.org/draft/2020-12/schema', 'type': 'object',\n  'required'"),
            "FW403", "/$schema"),
        Arguments.of("a later draft's keyword deep inside", replace(SCHEMA, "'path': {'type': 'string'}",
            "'path': {'type': 'string', 'dependentRequired': {}}"), "FW404",
            "/properties/source/properties/path/dependentRequired"));
  }

  @ParameterizedTest(name = "{0} → {2}")
  @MethodSource("brokenSchemas")
  void eachBrokenSchemaProducesItsFinding(String fault, String schema, String id, String pointer) {
    LintReport report = lint(GOOD, schema);

    assertTrue(report.withRule(LintRule.valueOf(id)).stream().anyMatch(f -> f.pointer().equals(pointer)),
        () -> fault + ": expected " + id + " at " + pointer + ", got:\n" + String.join("\n", report.lines()));
  }

  @Test
  void everyRuleIsCoveredByTheTables() {
    java.util.Set<String> covered = new java.util.TreeSet<>();
    faults().forEach(a -> covered.add((String) a.get()[2]));
    brokenSchemas().forEach(a -> covered.add((String) a.get()[2]));
    List<String> all = Stream.of(LintRule.values()).map(Enum::name).sorted().toList();
    assertEquals(all, List.copyOf(covered));
  }

  @Test
  void aFindingIsPlacedOnTheLineOfTheFieldItIsAbout() {
    String definition = broken("'Next': 'Check'", "'Next': 'Chek'");
    int line = definition.substring(0, definition.indexOf("\"Next\": \"Chek\"")).split("\n", -1).length;

    Finding f = lint(definition, SCHEMA).withRule(LintRule.FW106).get(0);

    assertEquals(line, f.location().line());
    assertTrue(f.message().contains("did you mean 'Check'?"), f.message());
  }

  @Test
  void retiredTransferUrlNamesTheOldParameterNamesStillInUse() {
    String definition = broken("'source_endpoint.$': '$.source.id'", "'source_endpoint_id.$': '$.source.id'")
        .replace("https://transfer.actions.globus.org/transfer", "https://actions.globus.org/transfer/transfer");

    Finding f = lint(definition, SCHEMA).withRule(LintRule.FW301).get(0);

    assertTrue(f.message().contains("use 'https://transfer.actions.globus.org/transfer'"), f.message());
    assertTrue(f.message().contains("this state still uses source_endpoint_id"), f.message());
  }

  @Test
  void aStateNothingLeadsToIsReportedOnceNotForEachOfItsReads() {
    String definition = broken("'Done': {'Type': 'Pass', 'End': true},", "'Done': {'Type': 'Pass', 'End': true},"
        + " 'Orphan': {'Type': 'Pass', 'Parameters': {'status.$': '$.copy.status'}, 'ResultPath': '$.o', 'End': true},");

    LintReport report = lint(definition, SCHEMA);

    assertEquals(List.of("FW107"), report.findings().stream().map(Finding::id).toList(), report.lines()::toString);
    // An error, not a warning: lint, deploy-flow and every dry run refuse such a definition (exit 4).
    assertEquals(1, report.errors(), report.lines()::toString);
  }

  @Test
  void aResultReadInALoopAfterItsWriterIsFine() {
    String definition = json("""
        {'StartAt': 'Poll', 'States': {
          'Poll': {'Type': 'Action', 'ActionUrl': 'https://transfer.actions.globus.org/stat',
                   'Parameters': {'endpoint_id.$': '$.source.id', 'path.$': '$.source.path'},
                   'ResultPath': '$.stat', 'WaitTime': 60, 'ExceptionOnActionFailure': false,
                   'Catch': [{'ErrorEquals': ['ActionUnableToRun'], 'ResultPath': '$.error', 'Next': 'Failed'}],
                   'Next': 'There'},
          'There': {'Type': 'Choice', 'Choices': [{'Variable': '$.stat.details.code', 'IsPresent': true,
                    'Next': 'Wait'}], 'Default': 'Done'},
          'Wait': {'Type': 'Wait', 'Seconds': 60, 'Next': 'Poll'},
          'Done': {'Type': 'Pass', 'End': true},
          'Failed': {'Type': 'Fail'}}}
        """);

    assertEquals(List.of(), lint(definition, SCHEMA).lines());
  }
}
