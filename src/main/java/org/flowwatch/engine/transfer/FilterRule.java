package org.flowwatch.engine.transfer;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.flowwatch.engine.ActionUnableToRunException;

/**
 * One of a transfer's {@code filter_rules}: {@code {"method": "include"|"exclude", "name": GLOB,
 * "type": "file"|"dir"}} ({@code type} left out: both). Transfer reads the list in order for each file
 * and directory found under a recursive item, by its name alone; the first rule that matches decides, and
 * an entry no rule matches is transferred. An excluded directory is not entered at all.
 *
 * @param include whether a match includes (true) or excludes (false)
 * @param name the glob over the entry's name
 * @param type {@code file}, {@code dir}, or null for both
 */
record FilterRule(boolean include, Glob name, String type) {
  FilterRule {
    Objects.requireNonNull(name, "name");
  }

  boolean matches(String entryName, boolean directory) {
    if (type != null && type.equals("dir") != directory) {
      return false;
    }
    return name.matches(entryName);
  }

  /**
   * Whether an entry of a recursive item is transferred under these rules.
   *
   * @param rules in the order the request gave them
   */
  static boolean transfers(List<FilterRule> rules, String entryName, boolean directory) {
    for (FilterRule rule : rules) {
      if (rule.matches(entryName, directory)) {
        return rule.include();
      }
    }
    return true;
  }

  /** The rules of a {@code filter_rules} parameter (absent or null: none). */
  static List<FilterRule> parse(JsonNode node) throws ActionUnableToRunException {
    List<FilterRule> rules = new ArrayList<>();
    if (node == null || node.isNull()) {
      return rules;
    }
    if (!node.isArray()) {
      throw new ActionUnableToRunException("filter_rules must be a list of {method, name, type} objects, not "
          + node.getNodeType().name().toLowerCase());
    }
    for (int i = 0; i < node.size(); i++) {
      JsonNode rule = node.get(i);
      String where = "filter_rules[" + i + "]";
      if (!rule.isObject()) {
        throw new ActionUnableToRunException(where + " must be an object with method and name, not " + rule);
      }
      String method = text(rule, "method", where);
      if (!method.equals("include") && !method.equals("exclude")) {
        throw new ActionUnableToRunException(where + ".method is " + method + "; it must be include or exclude");
      }
      String name = text(rule, "name", where);
      String type = rule.hasNonNull("type") ? text(rule, "type", where) : null;
      if (type != null && !type.equals("file") && !type.equals("dir")) {
        throw new ActionUnableToRunException(where + ".type is " + type + "; it must be file or dir (or left out"
            + " for both)");
      }
      rules.add(new FilterRule(method.equals("include"), Glob.of(name), type));
    }
    return rules;
  }

  private static String text(JsonNode rule, String field, String where) throws ActionUnableToRunException {
    JsonNode value = rule.get(field);
    if (value == null || !value.isTextual() || value.asText().isEmpty()) {
      throw new ActionUnableToRunException(where + "." + field + " is missing or not a string");
    }
    return value.asText();
  }
}
