package org.flowwatch.globus;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Finds the scope strings a consent / authorization-requirement error (GARE) asks for. Globus services
 * spell them several ways: {@code required_scope}, {@code required_scopes},
 * {@code authorization_parameters.required_scopes}, Auth's {@code unapproved_scopes}, or only in the text
 * of a {@code MISSING_SCOPE} message.
 */
public final class ConsentScopes {

  private static final String[] SCOPE_STARTS = {"https://auth.globus.org/scopes/", "urn:globus:auth:scope:"};

  private ConsentScopes() {}

  /** The scopes this one object declares itself (not its children), in the order found. */
  public static List<String> declaredBy(JsonNode node) {
    Set<String> scopes = new LinkedHashSet<>();
    if (node == null || !node.isObject()) {
      return List.of();
    }
    addText(scopes, node.get("required_scope"));
    addAll(scopes, node.get("required_scopes"));
    addAll(scopes, node.get("unapproved_scopes"));
    JsonNode parameters = node.get("authorization_parameters");
    if (parameters != null) {
      addAll(scopes, parameters.get("required_scopes"));
    }
    return new ArrayList<>(scopes);
  }

  /**
   * Scope strings written inside free text, such as "This action requires the following scope: X".
   * Brackets are followed to their end, since dependencies contain spaces.
   */
  static List<String> mentionedIn(String text) {
    Set<String> scopes = new LinkedHashSet<>();
    if (text == null) {
      return List.of();
    }
    int from = 0;
    while (true) {
      int start = nextStart(text, from);
      if (start < 0) {
        break;
      }
      int end = scopeEnd(text, start);
      String scope = text.substring(start, end);
      while (scope.endsWith(".") || scope.endsWith(")")) {
        scope = scope.substring(0, scope.length() - 1);
      }
      scopes.add(scope);
      from = end;
    }
    return new ArrayList<>(scopes);
  }

  private static int nextStart(String text, int from) {
    int best = -1;
    for (String prefix : SCOPE_STARTS) {
      int at = text.indexOf(prefix, from);
      if (at >= 0 && (best < 0 || at < best)) {
        best = at;
      }
    }
    // A dependency prefixed '*' inside a larger scope is found with its parent; a bare one keeps no '*'.
    return best;
  }

  private static int scopeEnd(String text, int start) {
    int depth = 0;
    int i = start;
    for (; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '[') {
        depth++;
      } else if (c == ']') {
        if (depth == 0) {
          break;
        }
        depth--;
      } else if (depth == 0 && (Character.isWhitespace(c) || c == '"' || c == '\'' || c == ',' || c == ';')) {
        break;
      }
    }
    return i;
  }

  private static void addText(Set<String> scopes, JsonNode value) {
    if (value != null && value.isTextual() && !value.asText().isBlank()) {
      scopes.add(value.asText().trim());
    }
  }

  private static void addAll(Set<String> scopes, JsonNode values) {
    if (values == null) {
      return;
    }
    if (values.isArray()) {
      values.forEach(v -> addText(scopes, v));
    } else {
      // Space-separated in some older error bodies.
      addText(scopes, values);
    }
  }
}
