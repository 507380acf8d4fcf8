package org.flowwatch.text;

/**
 * Text that cannot forge output. Directory and file names are chosen by whoever writes the watch
 * directory; a name holding a newline, a carriage return, a terminal escape or a bidi override would
 * otherwise print a fake log line, overwrite a status row or recolour a terminal. Every output path
 * (log layouts, the CLI's stdout and stderr, dry-run rows, failure messages) goes through here.
 *
 * <p>Named escapes for {@code \n}, {@code \r} and {@code \t}; other C0 characters as {@code \xNN}
 * ({@code \x1b}); DEL, C1 controls, bidi controls and the Unicode line and paragraph separators as
 * a backslash, {@code u} and four hex digits (U+202E becomes backslash-u202e), which is also a valid
 * escape inside a JSON string, so JSON output stays valid JSON. Backslashes are left alone: paths and patterns in messages stay readable.
 */
public final class Printable {
  private Printable() {}

  /** {@code text} on one line: every control character escaped, newlines and tabs included. */
  public static String line(String text) {
    return escape(text, false);
  }

  /**
   * {@code text} with its line structure kept: newlines and tabs stay, every other control character is
   * escaped. For output whose lines are laid out by the program (help, JSON documents, tables) and whose
   * names were made {@link #line} where they were put in.
   */
  public static String lines(String text) {
    return escape(text, true);
  }

  /** Whether {@code c} is escaped by {@link #line}. */
  public static boolean isUnsafe(char c) {
    return c < 0x20 || (c >= 0x7f && c <= 0x9f) || isBidiOrSeparator(c);
  }

  private static boolean isBidiOrSeparator(char c) {
    return c == '\u061c' || c == '\u200e' || c == '\u200f' || (c >= '\u202a' && c <= '\u202e')
        || (c >= '\u2066' && c <= '\u2069') || c == '\u2028' || c == '\u2029';
  }

  private static String escape(String text, boolean keepLines) {
    if (text == null) {
      return "null";
    }
    int first = firstUnsafe(text, keepLines);
    if (first < 0) {
      return text; // the common case: no copy
    }
    StringBuilder out = new StringBuilder(text.length() + 8).append(text, 0, first);
    for (int i = first; i < text.length(); i++) {
      char c = text.charAt(i);
      if (!isUnsafe(c) || (keepLines && (c == '\n' || c == '\t'))) {
        out.append(c);
      } else if (c == '\n') {
        out.append("\\n");
      } else if (c == '\r') {
        out.append("\\r");
      } else if (c == '\t') {
        out.append("\\t");
      } else if (c < 0x20) {
        out.append(String.format("\\x%02x", (int) c));
      } else {
        out.append(String.format("\\u%04x", (int) c));
      }
    }
    return out.toString();
  }

  private static int firstUnsafe(String text, boolean keepLines) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (isUnsafe(c) && !(keepLines && (c == '\n' || c == '\t'))) {
        return i;
      }
    }
    return -1;
  }
}
