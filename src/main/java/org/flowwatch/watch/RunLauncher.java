package org.flowwatch.watch;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.flowwatch.config.CollectionConfig;
import org.flowwatch.config.Config;
import org.flowwatch.config.ConfigException;
import org.flowwatch.globus.auth.Scopes;
import org.flowwatch.globus.flows.FlowRun;
import org.flowwatch.globus.flows.FlowsClient;
import org.flowwatch.globus.flows.StartRun;
import org.flowwatch.input.InputDocument;
import org.flowwatch.input.InputDocumentBuilder;
import org.flowwatch.run.RunFacts;

/**
 * Takes one run directory through the stages every run goes through: its facts, its input document, its
 * validation, its start. The agent and {@code --rundir} both use it, so a hand-started run is built
 * exactly like a watched one.
 */
public final class RunLauncher {
  private final Config config;
  private final InputDocumentBuilder documents;

  public RunLauncher(Config config, Map<String, String> env) {
    this.config = config;
    this.documents = new InputDocumentBuilder(config, env);
  }

  /** Builds and validates the input document of a run directory; starts nothing. */
  public InputDocument prepare(Path runDirectory) {
    return documents.build(RunFacts.collect(runDirectory, config));
  }

  /**
   * Starts a flow run for a valid document. The call is made once: whether to ask again after an unknown
   * outcome is the caller's decision.
   *
   * @param token the trigger token to put in the run's label and tags, so the run can be found again
   *     when the answer to this call is lost; null for none
   */
  public FlowRun start(InputDocument document, String token, FlowsClient flows) {
    if (!document.isValid()) {
      throw new IllegalArgumentException("refusing to start a run whose input document is invalid");
    }
    String label = token == null ? document.label() : labelWithToken(document.label(), token);
    List<String> tags = new ArrayList<>(document.tags());
    if (token != null) {
      tags.add(token);
    }
    return flows.startRun(flowId(config), startScope(config),
        new StartRun(document.body(), label, tags, config.flow().runMonitors(), config.flow().runManagers()));
  }

  /** {@code "<label> · <token>"}: the token is how a lost start is found again (there is no tag filter). */
  public static String labelWithToken(String label, String token) {
    return label + " \u00b7 " + token;
  }

  /** The flow's id; a start without one is a configuration error. */
  public static UUID flowId(Config config) {
    UUID id = config.flow().id();
    if (id == null) {
      throw new ConfigException(config.file() + ": flow.id is not set, so there is no flow to start; deploy the"
          + " flow and put its id in flow.id");
    }
    return id;
  }

  /** The flow's own scope, from {@code flow.scope} or derived from the flow id. */
  public static String flowScope(Config config) {
    String scope = config.flow().scope();
    return scope != null && !scope.isBlank() ? scope : Scopes.flowUserScope(flowId(config));
  }

  /**
   * What a token must carry to start the flow: the flow scope with Transfer and each mapped collection's
   * {@code data_access} as dependencies, so transfers do not stop INACTIVE waiting for consent.
   */
  public static String startScope(Config config) {
    List<UUID> mapped = config.collections().values().stream()
        .filter(CollectionConfig::dataAccess)
        .map(CollectionConfig::id)
        .distinct()
        .toList();
    return Scopes.flowStartScope(flowScope(config), mapped);
  }
}
