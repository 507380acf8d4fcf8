package org.flowwatch.config;

import java.util.Locale;

/** Where runs execute: the Globus Flows service, or this machine's local flow engine. */
public enum Engine {
  GLOBUS,
  LOCAL;

  /** The engine a config or an option names ({@code globus} or {@code local}); null when it names none. */
  public static Engine parse(String name) {
    for (Engine e : values()) {
      if (e.word().equals(name)) {
        return e;
      }
    }
    return null;
  }

  /** As the config and the command line write it. */
  public String word() {
    return name().toLowerCase(Locale.ROOT);
  }
}
