package org.flowwatch.engine;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Chooses a Choice state's next state: the {@code Next} of the first rule that holds, else {@code Default},
 * else the run fails with {@code States.NoChoiceMatched}. A rule is {@code And}, {@code Or}, {@code Not},
 * or a {@code Variable} with one test: the String, Numeric, Boolean and Timestamp comparisons (each also
 * as {@code …Path}, comparing with the value another path selects), {@code StringMatches} (a glob where
 * {@code *} is any run of characters and {@code \*} a star), and the tests {@code IsPresent},
 * {@code IsNull}, {@code IsString}, {@code IsNumeric}, {@code IsBoolean}, {@code IsTimestamp}. A
 * comparison whose value has another type than the test's does not hold. A Variable that selects nothing
 * fails the run (as the States Language says) except under {@code IsPresent}: guard it with
 * {@code And [IsPresent, ...]}, as the shipped flows do.
 */
final class Choices {
  private static final Set<String> TYPE_TESTS = Set.of("IsPresent", "IsNull", "IsString", "IsNumeric", "IsBoolean",
      "IsTimestamp");
  private static final Pattern OPERATOR = Pattern.compile(
      "(String|Numeric|Timestamp)(Equals|LessThan|GreaterThan|LessThanEquals|GreaterThanEquals)(Path)?"
          + "|BooleanEquals(Path)?|StringMatches");

  private Choices() {}

  static String next(JsonNode state, JsonNode input) throws StateFailure {
    for (JsonNode rule : state.path("Choices")) {
      if (holds(rule, input)) {
        return rule.path("Next").asText();
      }
    }
    if (state.hasNonNull("Default")) {
      return state.get("Default").asText();
    }
    throw new StateFailure(StateFailure.NO_CHOICE, "no rule of the Choice state matched and it has no Default",
        false);
  }

  static boolean holds(JsonNode rule, JsonNode input) throws StateFailure {
    if (rule.has("And")) {
      for (JsonNode r : rule.get("And")) {
        if (!holds(r, input)) {
          return false;
        }
      }
      return true;
    }
    if (rule.has("Or")) {
      for (JsonNode r : rule.get("Or")) {
        if (holds(r, input)) {
          return true;
        }
      }
      return false;
    }
    if (rule.has("Not")) {
      return !holds(rule.get("Not"), input);
    }
    String variable = rule.path("Variable").asText(null);
    for (Map.Entry<String, JsonNode> e : rule.properties()) {
      String op = e.getKey();
      if (TYPE_TESTS.contains(op)) {
        return typeTest(op, variable, e.getValue(), input);
      }
      if (OPERATOR.matcher(op).matches()) {
        JsonNode value = Paths.require(input, variable, "Choice Variable");
        JsonNode expected = e.getValue();
        if (op.endsWith("Path")) {
          expected = Paths.require(input, expected.asText(), "Choice " + op);
          op = op.substring(0, op.length() - 4);
        }
        return compare(op, value, expected);
      }
    }
    throw StateFailure.runtime("a Choice rule has no comparison the local engine knows: " + rule);
  }

  private static boolean typeTest(String op, String variable, JsonNode want, JsonNode input) throws StateFailure {
    JsonNode value = Paths.read(input, variable);
    boolean result;
    if (op.equals("IsPresent")) {
      result = !value.isMissingNode();
    } else {
      if (value.isMissingNode()) {
        value = Paths.require(input, variable, "Choice Variable");
      }
      result = switch (op) {
        case "IsNull" -> value.isNull();
        case "IsString" -> value.isTextual();
        case "IsNumeric" -> value.isNumber();
        case "IsBoolean" -> value.isBoolean();
        default -> timestamp(value) != null;
      };
    }
    return result == want.asBoolean();
  }

  private static boolean compare(String op, JsonNode value, JsonNode expected) {
    if (op.equals("StringMatches")) {
      return value.isTextual() && expected.isTextual() && glob(expected.asText()).matcher(value.asText()).matches();
    }
    if (op.equals("BooleanEquals")) {
      return value.isBoolean() && expected.isBoolean() && value.booleanValue() == expected.booleanValue();
    }
    int c;
    if (op.startsWith("String")) {
      if (!value.isTextual() || !expected.isTextual()) {
        return false;
      }
      c = value.asText().compareTo(expected.asText());
      op = op.substring("String".length());
    } else if (op.startsWith("Numeric")) {
      if (!value.isNumber() || !expected.isNumber()) {
        return false;
      }
      c = value.decimalValue().compareTo(expected.decimalValue());
      op = op.substring("Numeric".length());
    } else {
      OffsetDateTime a = timestamp(value);
      OffsetDateTime b = timestamp(expected);
      if (a == null || b == null) {
        return false;
      }
      c = a.toInstant().compareTo(b.toInstant());
      op = op.substring("Timestamp".length());
    }
    return switch (op) {
      case "Equals" -> c == 0;
      case "LessThan" -> c < 0;
      case "GreaterThan" -> c > 0;
      case "LessThanEquals" -> c <= 0;
      default -> c >= 0;
    };
  }

  /** An RFC 3339 date-time with its offset, or null. */
  static OffsetDateTime timestamp(JsonNode value) {
    if (value == null || !value.isTextual()) {
      return null;
    }
    try {
      return OffsetDateTime.parse(value.asText());
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private static Pattern glob(String glob) {
    StringBuilder regex = new StringBuilder();
    for (int i = 0; i < glob.length(); i++) {
      char c = glob.charAt(i);
      if (c == '\\' && i + 1 < glob.length()) {
        regex.append(Pattern.quote(String.valueOf(glob.charAt(++i))));
      } else if (c == '*') {
        regex.append(".*");
      } else {
        regex.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return Pattern.compile(regex.toString(), Pattern.DOTALL);
  }
}
