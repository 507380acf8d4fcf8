package org.flowwatch.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.flowwatch.config.CollectionConfig;
import org.flowwatch.config.Config;
import org.flowwatch.config.ConfigException;
import org.flowwatch.engine.DefinitionRefusedException;
import org.flowwatch.engine.FlowInterpreter;
import org.flowwatch.engine.compute.Launcher;
import org.flowwatch.engine.compute.LocalComputeProvider;
import org.flowwatch.engine.compute.LocalFunctions;
import org.flowwatch.engine.transfer.LocalTransferProvider;
import org.flowwatch.flow.FlowDefinition;

/** The interpreter of a config's flow definition with the local providers, for {@code --engine local}. */
final class LocalInterpreters {
  private LocalInterpreters() {}

  static FlowInterpreter of(Config config) {
    Path definition = config.flow().definition();
    if (definition == null) {
      throw new ConfigException("--engine local runs the flow definition itself: set flow.definition in "
          + config.file());
    }
    Map<String, Path> collections = new LinkedHashMap<>();
    for (CollectionConfig c : config.collections().values()) {
      if (c.localRoot() != null) {
        collections.put(c.id().toString(), c.localRoot());
      }
    }
    Path work = config.file().getParent().resolve(".flowwatch-local");
    try {
      return new FlowInterpreter(FlowDefinition.read(definition), List.of(new LocalTransferProvider(),
          new LocalComputeProvider(LocalFunctions.from(config.compute()),
              LocalFunctions.launchers(config.compute(), Map.of(), Launcher.DIRECT), work, "python3")),
          collections);
    } catch (DefinitionRefusedException e) {
      throw new ConfigException("the flow definition " + definition + " cannot run locally:\n" + e.getMessage());
    }
  }
}
