package org.flowwatch.globus.flows;

import java.util.List;
import java.util.UUID;
import org.flowwatch.config.CollectionConfig;
import org.flowwatch.config.Config;
import org.flowwatch.config.ConfigException;
import org.flowwatch.globus.auth.Scopes;

/**
 * The flow a config starts, with the scopes that takes.
 *
 * @param flowId the deployed flow
 * @param flowScope the flow's own scope, from {@code flow.scope} or derived from the id
 * @param startScope the flow scope with Transfer and each mapped collection's {@code data_access} as
 *     dependencies, so transfers do not stop INACTIVE waiting for consent
 */
public record FlowTarget(UUID flowId, String flowScope, String startScope) {

  /** @throws ConfigException when {@code flow.id} is not set: there is no flow to start */
  public static FlowTarget of(Config config) {
    UUID id = config.flow().id();
    if (id == null) {
      throw new ConfigException(config.file() + ": flow.id is not set, so there is no flow to start; deploy the"
          + " flow and put its id in flow.id");
    }
    String scope = config.flow().scope();
    String flowScope = scope != null && !scope.isBlank() ? scope : Scopes.flowUserScope(id);
    List<UUID> mapped = config.collections().values().stream()
        .filter(CollectionConfig::dataAccess)
        .map(CollectionConfig::id)
        .distinct()
        .toList();
    return new FlowTarget(id, flowScope, Scopes.flowStartScope(flowScope, mapped));
  }
}
