package org.flowwatch.text;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Why a JSON text could not be read, in words: the parser's own reason (its original message, without
 * the "[Source: ...]" trailer) without the settings class a limit comes from, on one line.
 */
public final class JsonProblems {
  private static final Pattern NESTING = Pattern.compile("nesting depth \\((\\d+)\\) exceeds the maximum allowed \\((\\d+)");
  private static final Pattern LENGTH =
      Pattern.compile("(Number|String|Name) (?:value )?length \\((\\d+)\\) exceeds the maximum (?:allowed )?\\((\\d+)");
  private static final Pattern FROM_SETTING = Pattern.compile(",? ?from `[^`]*`");

  private JsonProblems() {}

  /** The reason {@code e} gives, fit for a message that already names the file and the position. */
  public static String reasonOf(JsonProcessingException e) {
    String original = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
    if (e instanceof StreamConstraintsException) {
      Matcher nesting = NESTING.matcher(original);
      if (nesting.find()) {
        return "it nests more than " + nesting.group(2) + " levels deep (arrays and objects within each other)";
      }
      Matcher length = LENGTH.matcher(original);
      if (length.find()) {
        String what = switch (length.group(1)) {
          case "Number" -> "a number";
          case "String" -> "a string";
          default -> "a key";
        };
        return what + " is " + length.group(2) + " characters long, more than the " + length.group(3) + " allowed";
      }
    }
    return FROM_SETTING.matcher(original).replaceAll("").replaceAll("\\s*\\n\\s*", "; ").trim();
  }
}
