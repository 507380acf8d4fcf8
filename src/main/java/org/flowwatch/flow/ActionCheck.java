package org.flowwatch.flow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Action states (FW301–FW306): retired or outdated action providers, and the fields whose defaults make
 * failures slip by — Catch, WaitTime, ExceptionOnActionFailure (reference §3.3, §4.1–4.3).
 */
final class ActionCheck {

  private static final Set<String> RETIRED_HOSTS = Set.of("actions.globus.org", "actions.automate.globus.org");
  private static final String TRANSFER_AP = "https://transfer.actions.globus.org/";
  private static final String COMPUTE_V3 = "https://compute.actions.globus.org/v3";

  /** Operations whose URL changed beyond the host. */
  private static final Map<String, String> RENAMED_OPERATIONS = Map.of("set_permission", "manage_permission");

  /** Parameters the current Transfer providers call differently, by operation (reference §4.1–4.2). */
  private static final Map<String, Map<String, String>> RENAMED_PARAMETERS = Map.of(
      "transfer", ordered("source_endpoint_id", "source_endpoint", "destination_endpoint_id", "destination_endpoint",
          "transfer_items", "DATA"),
      "delete", ordered("endpoint_id", "endpoint", "items", "DATA"));

  private final Findings out;

  private ActionCheck(Findings out) {
    this.out = out;
  }

  static void run(FlowDefinition definition, Findings out) {
    ActionCheck check = new ActionCheck(out);
    definition.states().forEach((name, state) -> {
      if ("Action".equals(FlowDefinition.typeOf(state))) {
        check.action(name, state, FlowDefinition.pointerOf(name));
      }
    });
  }

  private void action(String name, ObjectNode state, String at) {
    JsonNode url = state.get("ActionUrl");
    if (url != null && url.isTextual()) {
      actionUrl(name, state, url.asText(), at + "/ActionUrl");
    }
    if (!state.has("Catch")) {
      out.add(LintRule.FW302, at, "Action state '" + name + "' has no Catch, so a failure of its action ends the"
          + " whole run; catch ActionUnableToRun, ActionFailedException and ActionTimeout and go to a state that"
          + " reports or cleans up");
    }
    if (!state.has("WaitTime")) {
      out.add(LintRule.FW303, at, "Action state '" + name + "' does not set WaitTime; the default (300 seconds in"
          + " the older documentation) may be far too short for a transfer or a job, so set it explicitly");
    }
    if (!state.has("ExceptionOnActionFailure")) {
      out.add(LintRule.FW304, at, "Action state '" + name + "' does not set ExceptionOnActionFailure; its current"
          + " default is false, so a FAILED action lets the flow go on as if it had worked; set it explicitly"
          + " (usually true)");
    }
  }

  private void actionUrl(String name, ObjectNode state, String text, String pointer) {
    URI uri;
    try {
      uri = new URI(text.trim());
    } catch (URISyntaxException e) {
      uri = null;
    }
    if (uri == null || uri.getHost() == null || !"https".equalsIgnoreCase(uri.getScheme())) {
      out.add(LintRule.FW306, pointer, "ActionUrl '" + text + "' of state '" + name + "' is not an https:// URL"
          + " of an action provider, such as " + TRANSFER_AP + "transfer");
      return;
    }
    String host = uri.getHost().toLowerCase(Locale.ROOT);
    String path = uri.getPath() == null ? "" : uri.getPath();
    if (RETIRED_HOSTS.contains(host) && (path.startsWith("/transfer/") || path.equals("/transfer"))) {
      retired(name, state, text, path, pointer);
    } else if (host.equals("compute.actions.globus.org") && (path.isEmpty() || path.equals("/"))) {
      out.add(LintRule.FW305, pointer, "state '" + name + "' uses Globus Compute's v2 action provider '" + text
          + "'; use " + COMPUTE_V3 + ", whose Parameters are endpoint_id and tasks: [{function_id, args, kwargs}]"
          + " instead of endpoint, function and kwargs");
    }
  }

  private void retired(String name, ObjectNode state, String text, String path, String pointer) {
    String operation = path.replaceFirst("^/transfer/?", "").replaceAll("/+$", "");
    if (operation.isEmpty()) {
      operation = "transfer";
    }
    String current = RENAMED_OPERATIONS.getOrDefault(operation, operation);
    String replacement = TRANSFER_AP + current;
    StringBuilder m = new StringBuilder("ActionUrl '").append(text).append("' of state '").append(name)
        .append("' is a retired Transfer action provider (the actions.globus.org transfer providers were shut down"
            + " on 2025-01-22, so every run fails here); use '").append(replacement).append("'");
    Map<String, String> renames = RENAMED_PARAMETERS.getOrDefault(current, Map.of());
    if (renames.isEmpty()) {
      m.append(". Its parameters keep their names");
    } else {
      m.append(". Parameters renamed for it: ");
      List<String> pairs = renames.entrySet().stream().map(e -> e.getKey() + " → " + e.getValue()).toList();
      m.append(String.join(", ", pairs));
      Set<String> used = parameterNames(state.get("Parameters"));
      List<String> stale = renames.keySet().stream().filter(used::contains).toList();
      m.append(stale.isEmpty() ? " (this state already uses the new names)"
          : "; this state still uses " + String.join(", ", stale));
    }
    out.add(LintRule.FW301, pointer, m.toString());
  }

  /** The top-level parameter names, without the {@code .$} or {@code .=} that marks a path or expression. */
  private static Set<String> parameterNames(JsonNode parameters) {
    Set<String> names = new LinkedHashSet<>();
    if (parameters != null && parameters.isObject()) {
      parameters.fieldNames().forEachRemaining(n -> names.add(n.replaceFirst("\\.[$=]$", "")));
    }
    return names;
  }

  private static Map<String, String> ordered(String... pairs) {
    Map<String, String> map = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      map.put(pairs[i], pairs[i + 1]);
    }
    return java.util.Collections.unmodifiableMap(map);
  }
}
