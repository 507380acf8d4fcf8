package org.flowwatch.globus.flows;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.flowwatch.globus.auth.Scopes;

/**
 * A flow as the Flows service holds it.
 *
 * @param id the flow id
 * @param title its title
 * @param subtitle its subtitle ("" when none)
 * @param description its description ("" when none)
 * @param keywords its keywords
 * @param definition its definition, or null when the service withheld it (high-assurance flows)
 * @param inputSchema its input schema, or null when withheld
 * @param globusAuthScope the scope runs of this flow are started with (without dependencies)
 * @param flowOwner the owner's principal URN, or null
 * @param flowViewers role lists: empty unless the caller administers the flow
 * @param flowStarters see flowViewers
 * @param flowAdministrators see flowViewers
 * @param runManagers see flowViewers
 * @param runMonitors see flowViewers
 * @param userRoles the caller's roles on the flow, e.g. {@code [flow_owner]}
 */
public record DeployedFlow(
    UUID id,
    String title,
    String subtitle,
    String description,
    List<String> keywords,
    JsonNode definition,
    JsonNode inputSchema,
    String globusAuthScope,
    String flowOwner,
    List<String> flowViewers,
    List<String> flowStarters,
    List<String> flowAdministrators,
    List<String> runManagers,
    List<String> runMonitors,
    List<String> userRoles) {

  public DeployedFlow {
    Objects.requireNonNull(id, "id");
    title = title == null ? "" : title;
    subtitle = subtitle == null ? "" : subtitle;
    description = description == null ? "" : description;
    keywords = copy(keywords);
    definition = definition == null || definition.isNull() ? null : definition.deepCopy();
    inputSchema = inputSchema == null || inputSchema.isNull() ? null : inputSchema.deepCopy();
    flowViewers = copy(flowViewers);
    flowStarters = copy(flowStarters);
    flowAdministrators = copy(flowAdministrators);
    runManagers = copy(runManagers);
    runMonitors = copy(runMonitors);
    userRoles = copy(userRoles);
  }

  @Override
  public JsonNode definition() {
    return definition == null ? null : definition.deepCopy();
  }

  @Override
  public JsonNode inputSchema() {
    return inputSchema == null ? null : inputSchema.deepCopy();
  }

  /** The scope to start runs with: the service's {@code globus_auth_scope}, or the documented construction. */
  public String startScope() {
    return globusAuthScope != null && !globusAuthScope.isBlank() ? globusAuthScope : Scopes.flowUserScope(id);
  }

  static DeployedFlow from(FlowResponse flow) {
    return new DeployedFlow(flow.id(), flow.title(), flow.subtitle(), flow.description(), flow.keywords(),
        flow.definition(), flow.inputSchema(), flow.globusAuthScope(), flow.flowOwner(), flow.flowViewers(),
        flow.flowStarters(), flow.flowAdministrators(), flow.runManagers(), flow.runMonitors(), flow.userRoles());
  }

  private static List<String> copy(List<String> list) {
    return list == null ? List.of() : list.stream().filter(Objects::nonNull).toList();
  }
}
