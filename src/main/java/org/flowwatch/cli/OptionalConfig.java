package org.flowwatch.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import org.flowwatch.config.Config;
import org.flowwatch.config.ConfigLoader;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The config for commands that can also work from files named on the command line (lint, deploy-flow):
 * a --config that was given must load; the default ./flowwatch.yaml is used only when it exists.
 */
final class OptionalConfig {
  private OptionalConfig() {}

  /** The loaded config, or null when --config was not given and the default file does not exist. */
  static Config load(Terminal terminal, CommandSpec spec, Path file) {
    if (!given(spec) && !Files.exists(file)) {
      return null;
    }
    return new ConfigLoader(terminal.env()).load(file);
  }

  /** --config is inherited, so it may have been given before or after the subcommand's name. */
  static boolean given(CommandSpec spec) {
    for (var cl = spec.commandLine(); cl != null; cl = cl.getParent()) {
      if (cl.getParseResult() != null && cl.getParseResult().hasMatchedOption("--config")) {
        return true;
      }
    }
    return false;
  }
}
