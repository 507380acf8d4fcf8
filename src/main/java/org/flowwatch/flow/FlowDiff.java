package org.flowwatch.flow;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;
import org.flowwatch.globus.flows.DeployedFlow;
import org.flowwatch.globus.flows.FlowFields;

/**
 * What an update must send: the fields whose wanted value differs from the deployed one, compared
 * semantically. A field left null in the wanted fields is not managed and never differs.
 *
 * @param changes each differing field, described for people
 * @param update the PUT body: only the differing fields set
 */
record FlowDiff(List<Change> changes, FlowFields update) {

  private static final int MAX_LISTED = 8;

  boolean isEmpty() {
    return changes.isEmpty();
  }

  boolean changesDefinition() {
    return update.definition() != null;
  }

  static FlowDiff between(FlowFields wanted, DeployedFlow deployed) {
    List<Change> changes = new ArrayList<>();
    String title = text("title", wanted.title(), deployed.title(), changes);
    String subtitle = text("subtitle", wanted.subtitle(), deployed.subtitle(), changes);
    String description = text("description", wanted.description(), deployed.description(), changes);
    List<String> keywords = set("keywords", wanted.keywords(), deployed.keywords(), changes);
    JsonNode definition = null;
    if (wanted.definition() != null && !JsonComparison.same(wanted.definition(), deployed.definition())) {
      definition = wanted.definition();
      changes.add(new Change("definition", definitionChange(deployed.definition(), definition)));
    }
    JsonNode schema = null;
    if (wanted.inputSchema() != null && !JsonComparison.same(wanted.inputSchema(), deployed.inputSchema())) {
      schema = wanted.inputSchema();
      changes.add(new Change("input_schema", schemaChange(deployed.inputSchema(), schema)));
    }
    List<String> viewers = set("flow_viewers", wanted.flowViewers(), deployed.flowViewers(), changes);
    List<String> starters = set("flow_starters", wanted.flowStarters(), deployed.flowStarters(), changes);
    List<String> administrators =
        set("flow_administrators", wanted.flowAdministrators(), deployed.flowAdministrators(), changes);
    List<String> managers = set("run_managers", wanted.runManagers(), deployed.runManagers(), changes);
    List<String> monitors = set("run_monitors", wanted.runMonitors(), deployed.runMonitors(), changes);
    return new FlowDiff(List.copyOf(changes), new FlowFields(title, subtitle, description, keywords, definition,
        schema, viewers, starters, administrators, managers, monitors));
  }

  private static String text(String field, String wanted, String deployed, List<Change> changes) {
    if (wanted == null || wanted.equals(deployed)) {
      return null;
    }
    changes.add(new Change(field, quote(deployed) + " → " + quote(wanted)));
    return wanted;
  }

  /** Principal lists and keywords are sets to the service: their order is not a change. */
  private static List<String> set(String field, List<String> wanted, List<String> deployed, List<Change> changes) {
    if (wanted == null) {
      return null;
    }
    TreeSet<String> want = new TreeSet<>(wanted);
    TreeSet<String> have = new TreeSet<>(deployed);
    if (want.equals(have)) {
      return null;
    }
    List<String> parts = new ArrayList<>();
    want.stream().filter(w -> !have.contains(w)).forEach(w -> parts.add("+ " + w));
    have.stream().filter(h -> !want.contains(h)).forEach(h -> parts.add("- " + h));
    changes.add(new Change(field, String.join(", ", parts)));
    return wanted;
  }

  private static String definitionChange(JsonNode before, JsonNode after) {
    if (before == null) {
      return "the deployed definition was not readable; sending the whole definition";
    }
    List<String> parts = new ArrayList<>();
    if (!Objects.equals(before.get("StartAt"), after.get("StartAt"))) {
      parts.add("StartAt " + quote(text(before.get("StartAt"))) + " → " + quote(text(after.get("StartAt"))));
    }
    if (!Objects.equals(before.get("Comment"), after.get("Comment"))) {
      parts.add("Comment changed");
    }
    JsonNode was = before.path("States");
    JsonNode is = after.path("States");
    List<String> added = new ArrayList<>();
    List<String> removed = new ArrayList<>();
    List<String> changed = new ArrayList<>();
    for (String name : JsonComparison.fieldNames(is)) {
      if (!was.has(name)) {
        added.add(name);
      } else if (!JsonComparison.same(was.get(name), is.get(name))) {
        changed.add(name);
      }
    }
    JsonComparison.fieldNames(was).stream().filter(n -> !is.has(n)).forEach(removed::add);
    list(parts, "states added", added);
    list(parts, "states removed", removed);
    list(parts, "states changed", changed);
    return parts.isEmpty() ? "changed" : String.join("; ", parts);
  }

  private static String schemaChange(JsonNode before, JsonNode after) {
    if (before == null) {
      return "the deployed flow has no input schema; sending one";
    }
    List<String> where = JsonComparison.differences(before, after);
    List<String> shown = new ArrayList<>();
    for (String p : where) {
      shown.add(p.isEmpty() ? "(root)" : p);
    }
    List<String> parts = new ArrayList<>();
    list(parts, "changed at", shown);
    return String.join("; ", parts);
  }

  private static void list(List<String> parts, String what, List<String> names) {
    if (names.isEmpty()) {
      return;
    }
    String shown = String.join(", ", names.subList(0, Math.min(names.size(), MAX_LISTED)));
    if (names.size() > MAX_LISTED) {
      shown += " and " + (names.size() - MAX_LISTED) + " more";
    }
    parts.add(what + " " + shown);
  }

  private static String text(JsonNode node) {
    return node == null ? null : node.isTextual() ? node.asText() : node.toString();
  }

  private static String quote(String text) {
    return text == null ? "(none)" : "'" + text + "'";
  }
}
