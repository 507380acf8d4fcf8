package org.flowwatch.flow;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A JSONPath as flow definitions use them ({@code $.rawdata.source.path}, {@code $.items[0]},
 * {@code $['odd key']}), parsed far enough to check its syntax and to follow its leading names into the
 * input schema. Wildcards, slices, unions, filters and {@code ..} are accepted but not followed.
 */
final class JsonPath {

  /** One step of a path. */
  sealed interface Segment permits Key, Index, Any {}

  /** {@code .name} or {@code ['name']}. */
  record Key(String name) implements Segment {}

  /** {@code [3]}. */
  record Index(int index) implements Segment {}

  /** A step that may select several values or an unknown one: {@code *}, slices, unions, filters, {@code ..}. */
  record Any(String text) implements Segment {}

  /** The path is not valid; {@code reason} says where and why. */
  static final class SyntaxException extends Exception {
    private static final long serialVersionUID = 1L;

    SyntaxException(String reason) {
      super(reason);
    }
  }

  private static final Pattern INDEX = Pattern.compile("\\d+");
  private static final Pattern SLICE = Pattern.compile("-?\\d*:-?\\d*(:-?\\d*)?");
  private static final Pattern QUOTED = Pattern.compile("'[^']*'|\"[^\"]*\"");
  private static final String NOT_IN_NAMES = " \t\r\n'\"(){},";

  private final String text;
  private final List<Segment> segments;

  private JsonPath(String text, List<Segment> segments) {
    this.text = text;
    this.segments = List.copyOf(segments);
  }

  String text() {
    return text;
  }

  List<Segment> segments() {
    return segments;
  }

  /** The first name after {@code $}, or null for {@code $} itself or a path starting otherwise. */
  String rootKey() {
    return !segments.isEmpty() && segments.get(0) instanceof Key k ? k.name() : null;
  }

  /** True when every step names one value: what a ResultPath must be. */
  boolean isPlain() {
    return segments.stream().noneMatch(s -> s instanceof Any);
  }

  @Override
  public String toString() {
    return text;
  }

  static JsonPath parse(String text) throws SyntaxException {
    Objects.requireNonNull(text, "text");
    if (text.isEmpty()) {
      throw new SyntaxException("the path is empty; write $ for the whole run state or $.name for one value");
    }
    if (text.charAt(0) != '$') {
      throw new SyntaxException("'" + text + "' does not start with '$' (a JSONPath looks like $.name; for a"
          + " computed value use a key ending in '.=' with an expression)");
    }
    List<Segment> segments = new ArrayList<>();
    int i = 1;
    int n = text.length();
    while (i < n) {
      char c = text.charAt(i);
      if (c == '.') {
        if (i + 1 < n && text.charAt(i + 1) == '.') {
          i += 2;
          segments.add(new Any(".."));
          if (i < n && text.charAt(i) == '[') {
            continue;
          }
        } else {
          i++;
        }
        if (i >= n) {
          throw new SyntaxException("'" + text + "' ends with '.'; a name must follow it");
        }
        if (text.charAt(i) == '*') {
          segments.add(new Any("*"));
          i++;
          continue;
        }
        int end = nameEnd(text, i);
        if (end == i) {
          throw new SyntaxException("'" + text + "' has an empty name at position " + (i + 1)
              + " (two dots in a row, or a dot before '[')");
        }
        segments.add(new Key(text.substring(i, end)));
        i = end;
      } else if (c == '[') {
        int close = closingBracket(text, i);
        segments.add(bracket(text, text.substring(i + 1, close).trim()));
        i = close + 1;
      } else if (Character.isWhitespace(c)) {
        throw new SyntaxException("'" + text + "' contains a space at position " + (i + 1)
            + "; quote such a name: $['my name']");
      } else {
        throw new SyntaxException("'" + text + "' has '" + c + "' at position " + (i + 1)
            + " where '.' or '[' must come (as in $.name or $[0])");
      }
    }
    return new JsonPath(text, segments);
  }

  private static int nameEnd(String text, int from) throws SyntaxException {
    int i = from;
    while (i < text.length() && ".[]".indexOf(text.charAt(i)) < 0) {
      char c = text.charAt(i);
      if (NOT_IN_NAMES.indexOf(c) >= 0) {
        String what = Character.isWhitespace(c) ? "a space" : "'" + c + "'";
        throw new SyntaxException("'" + text + "' has " + what + " in a name at position " + (i + 1)
            + "; quote such a name: $['a name']");
      }
      i++;
    }
    return i;
  }

  private static int closingBracket(String text, int open) throws SyntaxException {
    char quote = 0;
    for (int i = open + 1; i < text.length(); i++) {
      char c = text.charAt(i);
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        }
      } else if (c == '\'' || c == '"') {
        quote = c;
      } else if (c == ']') {
        return i;
      }
    }
    throw new SyntaxException("'" + text + "' opens '[' at position " + (open + 1) + " but never closes it");
  }

  private static Segment bracket(String text, String inside) throws SyntaxException {
    if (INDEX.matcher(inside).matches()) {
      try {
        return new Index(Integer.parseInt(inside));
      } catch (NumberFormatException e) {
        return new Any(inside);
      }
    }
    if (QUOTED.matcher(inside).matches()) {
      return new Key(inside.substring(1, inside.length() - 1));
    }
    if (inside.equals("*") || SLICE.matcher(inside).matches() || inside.matches("-\\d+")
        || (inside.startsWith("?(") && inside.endsWith(")")) || isUnion(inside)) {
      return new Any(inside);
    }
    throw new SyntaxException("'" + text + "' has [" + inside + "], which is not an index ([0]), a quoted name"
        + " (['name']), '*', a slice ([1:3]) or a filter ([?(...)])");
  }

  private static boolean isUnion(String inside) {
    String[] parts = inside.split(",", -1);
    if (parts.length < 2) {
      return false;
    }
    for (String part : parts) {
      String p = part.trim();
      if (!INDEX.matcher(p).matches() && !QUOTED.matcher(p).matches()) {
        return false;
      }
    }
    return true;
  }
}
