package org.flowwatch.engine.transfer;

import java.util.regex.Pattern;

/**
 * A Unix shell pattern over one name, as Transfer's filter rules and ls filters read them: {@code *} any
 * run of characters, {@code ?} one character, {@code [...]} one of a set ({@code [!...]} or {@code [^...]}
 * none of it). Unlike Java's glob syntax there are no braces, and a name never holds {@code /}.
 */
record Glob(String pattern, Pattern regex) {
  static Glob of(String pattern) {
    return new Glob(pattern, Pattern.compile(translate(pattern), Pattern.DOTALL));
  }

  boolean matches(String name) {
    return regex.matcher(name).matches();
  }

  private static String translate(String glob) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < glob.length(); i++) {
      char c = glob.charAt(i);
      if (c == '*') {
        out.append(".*");
      } else if (c == '?') {
        out.append('.');
      } else if (c == '[') {
        int end = setEnd(glob, i);
        if (end < 0) {
          out.append("\\[");
        } else {
          out.append(set(glob.substring(i + 1, end)));
          i = end;
        }
      } else {
        out.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return out.toString();
  }

  /** Where the set opened at {@code open} closes; a ']' right after the opening (or its '!') is a member. */
  private static int setEnd(String glob, int open) {
    int i = open + 1;
    if (i < glob.length() && (glob.charAt(i) == '!' || glob.charAt(i) == '^')) {
      i++;
    }
    if (i < glob.length() && glob.charAt(i) == ']') {
      i++;
    }
    int end = glob.indexOf(']', i);
    return end;
  }

  private static String set(String body) {
    StringBuilder out = new StringBuilder("[");
    int i = 0;
    if (!body.isEmpty() && (body.charAt(0) == '!' || body.charAt(0) == '^')) {
      out.append('^');
      i = 1;
    }
    for (; i < body.length(); i++) {
      char c = body.charAt(i);
      // A '-' between two members is a range, as in the shell; every other special character is literal.
      if (c == '-' && i > 0 && i < body.length() - 1) {
        out.append('-');
      } else if (Character.isLetterOrDigit(c)) {
        out.append(c);
      } else {
        out.append('\\').append(c);
      }
    }
    return out.append(']').toString();
  }
}
