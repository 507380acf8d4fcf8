package org.flowwatch.globus.flows;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The fields of a flow to create, or the fields of an update. A null field is not sent: on create the
 * service default applies, on update the deployed value stays.
 *
 * @param title 1–128 characters; required to create
 * @param subtitle up to 128 characters
 * @param description up to 4096 characters
 * @param keywords search keywords
 * @param definition the flow definition (a JSON object); required to create
 * @param inputSchema the JSON Schema run input must match (a JSON object)
 * @param flowViewers principal URNs, or {@code public}
 * @param flowStarters principal URNs, or {@code all_authenticated_users}
 * @param flowAdministrators principal URNs
 * @param runManagers principal URNs given run_manager on every run
 * @param runMonitors principal URNs given run_monitor on every run
 */
public record FlowFields(
    String title,
    String subtitle,
    String description,
    List<String> keywords,
    JsonNode definition,
    JsonNode inputSchema,
    List<String> flowViewers,
    List<String> flowStarters,
    List<String> flowAdministrators,
    List<String> runManagers,
    List<String> runMonitors) {

  public static final FlowFields NONE =
      new FlowFields(null, null, null, null, null, null, null, null, null, null, null);

  public FlowFields {
    if (title != null && (title.isBlank() || title.length() > 128)) {
      throw new IllegalArgumentException("title must have 1 to 128 characters, got '" + title + "'");
    }
    if (subtitle != null && subtitle.length() > 128) {
      throw new IllegalArgumentException("subtitle must have at most 128 characters, got " + subtitle.length());
    }
    if (description != null && description.length() > 4096) {
      throw new IllegalArgumentException(
          "description must have at most 4096 characters, got " + description.length());
    }
    definition = object(definition, "definition");
    inputSchema = object(inputSchema, "inputSchema");
    keywords = copy(keywords);
    flowViewers = copy(flowViewers);
    flowStarters = copy(flowStarters);
    flowAdministrators = copy(flowAdministrators);
    runManagers = copy(runManagers);
    runMonitors = copy(runMonitors);
  }

  @Override
  public JsonNode definition() {
    return definition == null ? null : definition.deepCopy();
  }

  @Override
  public JsonNode inputSchema() {
    return inputSchema == null ? null : inputSchema.deepCopy();
  }

  /** True when nothing would be sent. */
  public boolean isEmpty() {
    return equals(NONE);
  }

  /** The wire names of the fields that are set, in the order of the Flows API, e.g. {@code [definition, title]}. */
  public List<String> names() {
    List<String> names = new ArrayList<>();
    add(names, "title", title);
    add(names, "subtitle", subtitle);
    add(names, "description", description);
    add(names, "keywords", keywords);
    add(names, "definition", definition);
    add(names, "input_schema", inputSchema);
    add(names, "flow_viewers", flowViewers);
    add(names, "flow_starters", flowStarters);
    add(names, "flow_administrators", flowAdministrators);
    add(names, "run_managers", runManagers);
    add(names, "run_monitors", runMonitors);
    return names;
  }

  private static void add(List<String> names, String name, Object value) {
    if (value != null) {
      names.add(name);
    }
  }

  private static JsonNode object(JsonNode node, String name) {
    if (node == null) {
      return null;
    }
    if (!node.isObject()) {
      throw new IllegalArgumentException(name + " must be a JSON object, got " + node.getNodeType());
    }
    return node.deepCopy();
  }

  private static List<String> copy(List<String> list) {
    return list == null ? null : List.copyOf(list);
  }
}
