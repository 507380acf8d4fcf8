package org.flowwatch.config;

import java.nio.file.Path;
import java.util.Map;

/** Where flowwatch keeps state (tokens, ledger): {@code $XDG_STATE_HOME/flowwatch} by XDG rules. */
public final class StateDirectory {
  private StateDirectory() {}

  /** The default state directory for the given environment. */
  public static Path resolve(Map<String, String> env) {
    String xdg = env.get("XDG_STATE_HOME");
    if (xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()) {
      return Path.of(xdg, "flowwatch");
    }
    String home = env.getOrDefault("HOME", System.getProperty("user.home"));
    return Path.of(home, ".local", "state", "flowwatch");
  }

  /** The ledger in a state directory. */
  public static Path ledgerFile(Path stateDir) {
    return stateDir.resolve("ledger.db");
  }
}
