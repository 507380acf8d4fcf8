package org.flowwatch.globus.auth;

import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Globus Auth scope strings and resource-server names, and the dependent-scope syntax
 * ({@code parent[child1 child2]}, {@code *optional}) used to ask for everything a flow run needs in one
 * token.
 */
public final class Scopes {

  private static final String SCOPE_BASE = "https://auth.globus.org/scopes/";
  private static final String FLOWS_CLIENT_ID = "eec9b274-0c81-4334-bdc2-54e90e689b9a";

  /** Every Flows service operation (not flow-specific). */
  public static final String FLOWS_ALL_SCOPE = SCOPE_BASE + FLOWS_CLIENT_ID + "/all";

  /** Create, update and delete flows, and ask the service to validate a definition. */
  public static final String FLOWS_MANAGE_FLOWS_SCOPE = SCOPE_BASE + FLOWS_CLIENT_ID + "/manage_flows";

  /** Read flow documents ({@code GET /flows/{id}}); the Flows API asks for this, not manage_flows, on reads. */
  public static final String FLOWS_VIEW_FLOWS_SCOPE = SCOPE_BASE + FLOWS_CLIENT_ID + "/view_flows";

  /** Read runs: what polling and the exactly-once label lookup need, and nothing more. */
  public static final String FLOWS_RUN_STATUS_SCOPE = SCOPE_BASE + FLOWS_CLIENT_ID + "/run_status";

  /** Manage runs (cancel, update their metadata): what {@code POST /runs/{id}/cancel} needs. */
  public static final String FLOWS_RUN_MANAGE_SCOPE = SCOPE_BASE + FLOWS_CLIENT_ID + "/run_manage";

  public static final String TRANSFER_SCOPE = "urn:globus:auth:scope:transfer.api.globus.org:all";

  public static final String COMPUTE_SCOPE =
      SCOPE_BASE + "facd7ccc-c5f4-42aa-916b-a0e270e2c2a9/all";

  /** Resource server of every Flows service scope. */
  public static final String FLOWS_RESOURCE_SERVER = "flows.globus.org";

  public static final String TRANSFER_RESOURCE_SERVER = "transfer.api.globus.org";

  /** Compute kept its pre-rename resource-server name. */
  public static final String COMPUTE_RESOURCE_SERVER = "funcx_service";

  private Scopes() {}

  /**
   * The scope a flow's own runs are started with. Prefer the flow document's {@code globus_auth_scope}
   * when it is at hand; this is the documented construction from the id.
   */
  public static String flowUserScope(UUID flowId) {
    String id = Objects.requireNonNull(flowId, "flowId").toString();
    return SCOPE_BASE + id + "/flow_" + id.replace('-', '_') + "_user";
  }

  /** Tokens for a flow's scope are issued for a resource server named after the flow id. */
  public static String flowResourceServer(UUID flowId) {
    return Objects.requireNonNull(flowId, "flowId").toString();
  }

  /** The data_access scope of a GCSv5 mapped collection (not high-assurance, not a guest collection). */
  public static String dataAccess(UUID collectionId) {
    return SCOPE_BASE + Objects.requireNonNull(collectionId, "collectionId") + "/data_access";
  }

  /** Marks a dependency optional ("atomically revocable"), as the SDK does for data_access. */
  public static String optional(String scope) {
    return "*" + requireScope(scope, "scope");
  }

  /**
   * {@code parent[dep1 dep2]}; just {@code parent} when there are no dependencies.
   *
   * @throws IllegalArgumentException when the parent already has dependencies or a scope is blank
   */
  public static String withDependencies(String parent, List<String> dependencies) {
    requireScope(parent, "parent scope");
    if (parent.indexOf('[') >= 0 || parent.indexOf(' ') >= 0) {
      throw new IllegalArgumentException(
          "parent scope must be a single scope without dependencies, got '" + parent + "'");
    }
    if (dependencies == null || dependencies.isEmpty()) {
      return parent;
    }
    dependencies.forEach(d -> requireScope(d, "dependency"));
    return parent + "[" + String.join(" ", dependencies) + "]";
  }

  /**
   * The scope to start a flow's runs with: {@code flowScope[transfer[*C1/data_access *C2/data_access]]},
   * or {@code flowScope[transfer]} when no collection needs data_access.
   */
  public static String flowStartScope(String flowScope, List<UUID> dataAccessCollections) {
    List<String> dataAccess =
        dataAccessCollections == null
            ? List.of()
            : dataAccessCollections.stream()
                .map(Scopes::dataAccess)
                .map(Scopes::optional)
                .distinct()
                .collect(Collectors.toList());
    return withDependencies(flowScope, List.of(withDependencies(TRANSFER_SCOPE, dataAccess)));
  }

  private static String requireScope(String scope, String what) {
    if (scope == null || scope.isBlank()) {
      throw new IllegalArgumentException(what + " must not be blank");
    }
    return scope;
  }
}
