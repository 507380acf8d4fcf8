package org.flowwatch.config;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Expands {@code ${VAR}} and {@code ${VAR:-default}} from an environment map; {@code $$} is a literal
 * {@code $}. A lone {@code $} not followed by <code>{</code> is left alone, so regular expressions such as
 * {@code run(\d+)$} survive.
 */
final class EnvExpander {
  private static final Pattern REF = Pattern.compile("\\$\\$|\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?}");

  private final Map<String, String> env;

  EnvExpander(Map<String, String> env) {
    this.env = env;
  }

  /** Returns the expanded text; throws IllegalArgumentException naming the first unset variable. */
  String expand(String text) {
    if (text.indexOf('$') < 0) {
      return text;
    }
    Matcher m = REF.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String replacement;
      if (m.group().equals("$$")) {
        replacement = "$";
      } else {
        String value = env.get(m.group(1));
        if (value == null || (value.isEmpty() && m.group(2) != null)) {
          if (m.group(2) == null) {
            throw new IllegalArgumentException("environment variable " + m.group(1)
                + " is not set; export it, or write ${" + m.group(1) + ":-default} to give a default");
          }
          value = m.group(2);
        }
        replacement = value;
      }
      m.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(out);
    return out.toString();
  }

  static boolean hasUnterminatedReference(String text) {
    int i = text.indexOf("${");
    return i >= 0 && text.indexOf('}', i) < 0;
  }
}
