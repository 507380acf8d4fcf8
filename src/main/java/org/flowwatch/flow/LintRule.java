package org.flowwatch.flow;

import static org.flowwatch.flow.Severity.ERROR;
import static org.flowwatch.flow.Severity.WARNING;

/**
 * Every check the linter makes, with its stable id and severity. Ids are never reused or renumbered:
 * scripts and README.md ("Flow lint findings") refer to them.
 */
public enum LintRule {
  FW001(ERROR, "the file is not valid JSON (a template with unfilled placeholders, a missing comma, ...)"),
  FW002(ERROR, "a key appears twice in one object; JSON parsers silently keep only the last one"),

  FW101(ERROR, "StartAt is missing or names no state"),
  FW102(ERROR, "States is missing, empty or not an object, or a state is not an object"),
  FW103(ERROR, "a state's Type is missing or not one of Action, Pass, Choice, Wait, Fail, ExpressionEval"),
  FW104(ERROR, "a field the state's type requires is missing"),
  FW105(ERROR, "a field has the wrong type or an impossible value"),
  FW106(ERROR, "Next, Default, a Choice rule's Next or a Catch's Next names no state"),
  FW107(ERROR, "a state cannot be reached from StartAt"),
  FW108(ERROR, "no state ends the flow (no End: true and no Fail state)"),
  FW109(ERROR, "a state has neither Next nor End: true"),
  FW110(ERROR, "a state has both Next and End, or a Choice or Fail state has Next or End"),
  FW111(WARNING, "states form a loop without a Wait or Choice state (an infinite loop)"),
  FW112(WARNING, "a field is not known for the state's type (often a misspelling)"),
  FW113(ERROR, "OutputPath is used; Globus Flows does not support it"),
  FW114(ERROR, "a Choice rule has no known comparison"),

  FW201(ERROR, "a JSONPath (a '.$' parameter, InputPath, ResultPath, Variable, a *Path field) is not valid"),
  FW202(ERROR, "a path reads an input key the input schema does not allow"),
  FW203(ERROR, "a path reads the ResultPath of a state that cannot have run before it"),
  FW204(WARNING, "a ResultPath overwrites a key of the flow input"),
  FW205(WARNING, "an Action has no ResultPath, so its result replaces the whole run state"),
  FW206(WARNING, "a Catch has no ResultPath, so the error replaces the whole run state"),
  FW207(ERROR, "a ResultPath writes into $._context, which is read-only"),

  FW301(ERROR, "the ActionUrl is a retired Transfer action provider (shut down 2025-01-22)"),
  FW302(WARNING, "an Action has no Catch, so any failure ends the run"),
  FW303(WARNING, "an Action does not set WaitTime explicitly"),
  FW304(WARNING, "an Action does not set ExceptionOnActionFailure explicitly"),
  FW305(WARNING, "the ActionUrl is Globus Compute's v2 provider; use /v3"),
  FW306(ERROR, "the ActionUrl is not an https:// URL"),

  FW401(ERROR, "the input schema breaks the JSON Schema draft-07 meta-schema"),
  FW402(ERROR, "the input schema cannot be used to check flow input"),
  FW403(ERROR, "the input schema is written for another JSON Schema draft than draft 7"),
  FW404(WARNING, "the input schema uses a keyword JSON Schema draft 7 does not know, which checks nothing");

  private final Severity severity;
  private final String summary;

  LintRule(Severity severity, String summary) {
    this.severity = severity;
    this.summary = summary;
  }

  public Severity severity() {
    return severity;
  }

  /** One line saying what the rule catches, as in README.md. */
  public String summary() {
    return summary;
  }
}
