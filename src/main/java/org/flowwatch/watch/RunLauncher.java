package org.flowwatch.watch;

import java.nio.file.Path;
import java.util.Map;
import org.flowwatch.config.Config;
import org.flowwatch.globus.flows.StartRun;
import org.flowwatch.input.InputDocument;
import org.flowwatch.input.InputDocumentBuilder;
import org.flowwatch.run.RunFacts;

/**
 * Takes one run directory through the stages before its start: its facts, its input document and its
 * validation. The agent and {@code --rundir} both use it, so a hand-started run is built exactly like a
 * watched one.
 */
public final class RunLauncher {
  private final Config config;
  private final InputDocumentBuilder documents;

  public RunLauncher(Config config, Map<String, String> env) {
    this.config = config;
    this.documents = new InputDocumentBuilder(config, env);
  }

  /**
   * Builds and validates the input document of a run directory; starts nothing.
   *
   * @throws org.flowwatch.run.RunDirectoryException when the directory is not a run directory of this
   *     config (its name, its place) or cannot be read: a problem of this run
   * @throws org.flowwatch.input.TemplateException when a template cannot be rendered: a config problem
   * @throws org.flowwatch.input.SchemaException when the schema cannot be loaded: a config problem
   */
  public InputDocument prepare(Path runDirectory) {
    return documents.build(RunFacts.collect(runDirectory, config));
  }

  /** Loads the flow's input schema now, so a broken one is found before any run needs it. */
  public void loadSchema() {
    documents.schema();
  }

  /** The start request for a valid document: body, label, tags, the config's run roles and notification policy. */
  public StartRun request(InputDocument document) {
    if (!document.isValid()) {
      throw new IllegalArgumentException("refusing to start a run whose input document is invalid");
    }
    return new StartRun(document.body(), document.label(), document.tags(), config.flow().runMonitors(),
        config.flow().runManagers(), config.flow().notificationPolicy());
  }
}
