package org.flowwatch.flow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The rules of a Choice state (reference §3.3): each compares one Variable, or combines rules. */
final class ChoiceRuleCheck {

  private static final List<String> VALUE_OPERATORS = List.of(
      "StringEquals", "StringLessThan", "StringGreaterThan", "StringLessThanEquals", "StringGreaterThanEquals",
      "NumericEquals", "NumericLessThan", "NumericGreaterThan", "NumericLessThanEquals", "NumericGreaterThanEquals",
      "BooleanEquals", "TimestampEquals", "TimestampLessThan", "TimestampGreaterThan", "TimestampLessThanEquals",
      "TimestampGreaterThanEquals");
  private static final List<String> TYPE_TESTS =
      List.of("IsNull", "IsPresent", "IsNumeric", "IsString", "IsBoolean", "IsTimestamp");

  /** Every comparison a rule may make, the *Path forms (which take a JSONPath) included. */
  static final Set<String> OPERATORS = operators();

  private final String state;
  private final Findings out;

  private ChoiceRuleCheck(String state, Findings out) {
    this.state = state;
    this.out = out;
  }

  static void run(String state, ObjectNode choice, String at, Findings out) {
    JsonNode rules = choice.get("Choices");
    if (rules == null || !rules.isArray()) {
      return;
    }
    ChoiceRuleCheck check = new ChoiceRuleCheck(state, out);
    for (int i = 0; i < rules.size(); i++) {
      check.rule(rules.get(i), at + "/Choices/" + i, true);
    }
  }

  /** True for the operators whose value is a JSONPath into the run state. */
  static boolean takesPath(String operator) {
    return operator.endsWith("Path") && OPERATORS.contains(operator);
  }

  private void rule(JsonNode rule, String at, boolean top) {
    if (!rule.isObject()) {
      out.add(LintRule.FW105, at, "a Choice rule must be an object, but it is " + StructureCheck.kind(rule));
      return;
    }
    if (top && !rule.has("Next")) {
      out.add(LintRule.FW104, at, "a rule of Choice state '" + state + "' has no Next; name the state to go to"
          + " when it matches");
    }
    if (!top && rule.has("Next")) {
      out.add(LintRule.FW105, at + "/Next", "a rule inside And, Or or Not must not have Next; only the outermost"
          + " rule of a choice names where to go");
    }
    if (rule.has("And") || rule.has("Or")) {
      String combinator = rule.has("And") ? "And" : "Or";
      JsonNode parts = rule.get(combinator);
      if (!parts.isArray() || parts.isEmpty()) {
        out.add(LintRule.FW105, at + "/" + combinator, combinator + " must be a non-empty list of rules");
        return;
      }
      for (int i = 0; i < parts.size(); i++) {
        rule(parts.get(i), at + "/" + combinator + "/" + i, false);
      }
      return;
    }
    if (rule.has("Not")) {
      rule(rule.get("Not"), at + "/Not", false);
      return;
    }
    Set<String> operators = new LinkedHashSet<>();
    Set<String> unknown = new LinkedHashSet<>();
    rule.fieldNames().forEachRemaining(field -> {
      if (OPERATORS.contains(field)) {
        operators.add(field);
      } else if (!field.equals("Variable") && !field.equals("Next") && !field.equals("Comment")) {
        unknown.add(field);
      }
    });
    for (String field : unknown) {
      out.add(LintRule.FW114, JsonDocument.pointer(at, field), "'" + field + "' is not a comparison a Choice rule"
          + " can make" + StructureCheck.hint(field, OPERATORS) + "; see the Choice state operators");
    }
    if (operators.isEmpty() && unknown.isEmpty()) {
      out.add(LintRule.FW114, at, "this rule of Choice state '" + state + "' compares nothing: give it a Variable"
          + " and one comparison such as StringEquals, or combine rules with And, Or or Not");
    } else if (operators.size() > 1) {
      out.add(LintRule.FW105, at, "a Choice rule makes exactly one comparison, but this one has "
          + String.join(", ", operators) + "; combine several with And");
    }
    if (!operators.isEmpty() && !rule.has("Variable")) {
      out.add(LintRule.FW104, at, "this rule of Choice state '" + state + "' has no Variable (the JSONPath of"
          + " the value it compares)");
    }
  }

  private static Set<String> operators() {
    Set<String> all = new LinkedHashSet<>();
    for (String op : VALUE_OPERATORS) {
      all.add(op);
      all.add(op + "Path");
    }
    all.add("StringMatches");
    all.addAll(TYPE_TESTS);
    return Set.copyOf(all);
  }
}
