package org.flowwatch.input;

import java.util.ArrayList;
import java.util.List;
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
    return new Placeholder(name, format, source);
  }
}
