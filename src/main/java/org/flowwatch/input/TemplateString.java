package org.flowwatch.input;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One template string split into literal text and placeholders.
 *
 * <p>Syntax: {@code {name}} or {@code {name:FORMAT}} where FORMAT is a {@link java.util.Formatter}
 * spec such as {@code %04d}; <code>{{</code> and <code>}}</code> are literal braces. This is close to Python's
 * {@code str.format} on purpose (users of the FRIB scripts know it), but formats are Java's.
 */
final class TemplateString {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.\\-]+");

  sealed interface Segment permits Literal, Placeholder {}

  record Literal(String text) implements Segment {}

  /**
   * @param name the fact name (or {@code env.NAME})
   * @param format the Formatter spec, or null
   * @param source the placeholder as written, braces included, for messages
   */
  record Placeholder(String name, String format, String source) implements Segment {}

  private TemplateString() {}

  /** Splits {@code text}; {@code where} names its place in the template for error messages. */
  static List<Segment> parse(String text, String where) {
    List<Segment> segments = new ArrayList<>();
    StringBuilder literal = new StringBuilder();
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean doubled = (c == '{' || c == '}') && i + 1 < text.length() && text.charAt(i + 1) == c;
      if (c == '{' && !doubled) {
        int close = text.indexOf('}', i + 1);
        if (close < 0) {
          throw new TemplateException("Unclosed '{' in " + where + ": \"" + text + "\". End the placeholder with"
              + " '}', or write a literal '{' as '{{'.");
        }
        if (literal.length() > 0) {
          segments.add(new Literal(literal.toString()));
          literal.setLength(0);
        }
        segments.add(placeholder(text.substring(i, close + 1), where));
        i = close;
      } else if (c == '}' && !doubled) {
        throw new TemplateException("Single '}' in " + where + ": \"" + text + "\". Write a literal '}' as"
            + " '}}'.");
      } else {
        literal.append(c);
        if (doubled) {
          i++;
        }
      }
    }
    if (literal.length() > 0) {
      segments.add(new Literal(literal.toString()));
    }
    return segments;
  }

  /** The longest width or precision a format may ask for. */
  static final int MAX_WIDTH = 64;
  /** One Formatter spec: an argument index (refused), flags, width, precision, conversion. */
  private static final Pattern SPEC = Pattern.compile("%(\\d+\\$|<)?[-#+ 0,(]*(\\d+)?(?:\\.(\\d+))?([a-zA-Z%])");
  private static final Set<String> CONVERSIONS = Set.of("d", "o", "x", "X", "e", "E", "f", "g", "G", "s", "S");

  private static Placeholder placeholder(String source, String where) {
    String inner = source.substring(1, source.length() - 1);
    int colon = inner.indexOf(':');
    String name = colon < 0 ? inner : inner.substring(0, colon);
    String format = colon < 0 ? null : inner.substring(colon + 1);
    if (!NAME.matcher(name).matches()) {
      throw new TemplateException(source + " in " + where + " is not a placeholder: a fact name is letters,"
          + " digits, '_', '-' and '.' (e.g. {run.number}). Write literal braces as '{{' and '}}'.");
    }
    if (format != null && !format.contains("%")) {
      throw new TemplateException(source + " in " + where + ": the format after ':' must be a Java Formatter"
          + " spec such as %04d, %.2f or %s, got '" + format + "'.");
    }
    if (format != null) {
      checkFormat(format, source + " in " + where);
    }
    return new Placeholder(name, format, source);
  }

  /**
   * A format formats one value, with a known conversion and a width and precision of at most
   * {@link #MAX_WIDTH}: {@code %0999999999d} would otherwise build a string of a billion characters.
   */
  private static void checkFormat(String format, String what) {
    Matcher spec = SPEC.matcher(format);
    List<String> conversions = new ArrayList<>();
    while (spec.find()) {
      String conversion = spec.group(4);
      if (conversion.equals("%") || conversion.equals("n")) {
        continue;
      }
      conversions.add(spec.group());
      if (!CONVERSIONS.contains(conversion) || spec.group(1) != null) {
        throw new TemplateException(what + ": '" + spec.group() + "' is not a format flowwatch knows; use %d"
            + " (a whole number), %f, %e or %g (a number), %s (text), or %x and %o, with flags, a width and a"
            + " precision, such as %04d or %.2f.");
      }
      for (int group : new int[] {2, 3}) {
        if (spec.group(group) != null && (spec.group(group).length() > 3 || Integer.parseInt(spec.group(group)) > MAX_WIDTH)) {
          throw new TemplateException(what + ": the " + (group == 2 ? "width" : "precision") + " in '"
              + spec.group() + "' is " + spec.group(group) + "; it may be at most " + MAX_WIDTH + ".");
        }
      }
    }
    if (conversions.size() != 1) {
      throw new TemplateException(what + ": the format '" + format + "' must convert exactly one value, but it has "
          + (conversions.isEmpty() ? "none" : conversions.size() + " (" + String.join(", ", conversions) + ")")
          + "; a placeholder formats one fact.");
    }
  }
}
