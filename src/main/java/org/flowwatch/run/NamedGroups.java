package org.flowwatch.run;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The named groups of a regex, in the order they appear. Java 17 has no public API for this
 * ({@code Pattern.namedGroups()} arrived in Java 20), so the pattern text is scanned, skipping escapes,
 * {@code \Q...\E} quotes and character classes, and each candidate is confirmed against a matcher.
 */
final class NamedGroups {
  private NamedGroups() {}

  /** The last pattern asked about and its names: the agent asks about the same pattern at every start. */
  private static volatile Known last;

  private record Known(Pattern pattern, List<String> names) {}

  static List<String> of(Pattern pattern) {
    Known known = last;
    if (known == null || known.pattern() != pattern) {
      known = new Known(pattern, scan(pattern));
      last = known;
    }
    return known.names();
  }

  /** Finds the names by scanning the pattern's text, each one confirmed by compiling the pattern again. */
  private static List<String> scan(Pattern pattern) {
    String s = pattern.pattern();
    List<String> names = new ArrayList<>();
    int classDepth = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\') {
        if (i + 1 < s.length() && s.charAt(i + 1) == 'Q') {
          int end = s.indexOf("\\E", i + 2);
          i = end < 0 ? s.length() : end + 1;
        } else {
          i++;
        }
      } else if (c == '[') {
        classDepth++;
      } else if (c == ']' && classDepth > 0) {
        classDepth--;
      } else if (classDepth == 0 && c == '(' && s.startsWith("?<", i + 1)) {
        int start = i + 3;
        int end = start;
        while (end < s.length() && Character.isLetterOrDigit(s.charAt(end))) {
          end++;
        }
        // "(?<=" and "(?<!" are look-behinds: they stop the scan at once and give an empty name.
        if (end > start && end < s.length() && s.charAt(end) == '>' && isGroup(pattern, s.substring(start, end))) {
          names.add(s.substring(start, end));
        }
      }
    }
    return List.copyOf(names);
  }

  private static boolean isGroup(Pattern pattern, String name) {
    // group(name) throws "No match found" before it checks the name, so match the empty string
    // through an added empty alternative; the newline ends a trailing comment in (?x) mode.
    Pattern anything;
    try {
      anything = Pattern.compile("(?:" + pattern.pattern() + "\n)|", pattern.flags());
    } catch (PatternSyntaxException e) {
      return true; // e.g. an unterminated \Q swallowed our suffix; trust the scan
    }
    Matcher matcher = anything.matcher("");
    if (!matcher.matches()) {
      return false; // only under Pattern.LITERAL, where "(?<x>" is text and there are no groups
    }
    try {
      matcher.group(name);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
