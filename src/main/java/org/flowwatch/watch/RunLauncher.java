package org.flowwatch.watch;

import java.nio.file.Path;
import java.util.Map;
import org.flowwatch.config.Config;
import org.flowwatch.input.InputDocument;
import org.flowwatch.input.InputDocumentBuilder;
import org.flowwatch.run.RunFacts;

/**
 * Takes one run directory through the stages every run goes through: its facts, its input document, its
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

  /** Builds and validates the input document of a run directory; starts nothing. */
  public InputDocument prepare(Path runDirectory) {
    return documents.build(RunFacts.collect(runDirectory, config));
  }
}
