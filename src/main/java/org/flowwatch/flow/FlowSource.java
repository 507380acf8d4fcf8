package org.flowwatch.flow;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.flowwatch.config.FlowConfig;
import org.flowwatch.globus.flows.FlowFields;

/**
 * What deploy-flow deploys: the definition and input schema files, linted, and the flow's metadata from
 * the config (or the command line).
 *
 * <p>Metadata left out of the config is not managed: an update keeps whatever the deployed flow has
 * there. The config cannot tell an empty list from a missing one, so an empty role list or keyword list
 * is also left alone; a role list is never cleared by accident (clearing flow_starters would lock the
 * agent out).
 */
public final class FlowSource {

  private final JsonDocument definition;
  private final JsonDocument schema;
  private final LintReport lint;
  private final FlowConfig metadata;
  private final String title;

  private FlowSource(JsonDocument definition, JsonDocument schema, FlowConfig metadata, String title) {
    this.definition = definition;
    this.schema = schema;
    this.lint = new FlowLinter().lint(definition, schema);
    this.metadata = metadata;
    this.title = title;
  }

  /**
   * Reads and lints the files.
   *
   * @param definition the definition file
   * @param schema the input schema file, or null to deploy without one
   * @param metadata the config's flow section for subtitle, description, keywords and roles, or null
   * @param title the title, or null for the config's flow.title
   * @throws FlowFileException when a file cannot be read at all
   */
  public static FlowSource read(Path definition, Path schema, FlowConfig metadata, String title) {
    Objects.requireNonNull(definition, "definition");
    return new FlowSource(FlowDefinition.read(definition), schema == null ? null : FlowLinter.readSchema(schema),
        metadata, title != null ? title : metadata == null ? null : metadata.title());
  }

  public LintReport lint() {
    return lint;
  }

  /** The definition as read, for the service's validator. */
  public JsonDocument definitionDocument() {
    return definition;
  }

  /** The input schema as read, or null. */
  public JsonDocument schemaDocument() {
    return schema;
  }

  /** The definition file as named. */
  public String definitionFile() {
    return definition.origin();
  }

  /** The title the flow gets, or null when none is configured. */
  public String title() {
    return title;
  }

  /** The parsed definition (a copy). */
  public JsonNode definition() {
    requireUsable();
    return definition.root();
  }

  /** The parsed input schema (a copy), or null when there is none. */
  public JsonNode inputSchema() {
    requireUsable();
    return schema == null ? null : schema.root();
  }

  /**
   * The flow as it should be deployed. Null fields are not managed.
   *
   * @throws IllegalStateException when the lint found errors: such a flow must not be deployed
   */
  public FlowFields fields() {
    requireUsable();
    FlowConfig m = metadata;
    return new FlowFields(title, m == null ? null : m.subtitle(), m == null ? null : m.description(),
        managed(m == null ? null : m.keywords()), definition.root(), schema == null ? null : schema.root(),
        managed(m == null ? null : m.flowViewers()), managed(m == null ? null : m.flowStarters()),
        managed(m == null ? null : m.flowAdministrators()), managed(m == null ? null : m.runManagers()),
        managed(m == null ? null : m.runMonitors()));
  }

  private void requireUsable() {
    if (lint.hasErrors()) {
      throw new IllegalStateException("the flow has lint errors and must not be deployed: " + lint.summary());
    }
  }

  private static List<String> managed(List<String> list) {
    return list == null || list.isEmpty() ? null : list;
  }
}
