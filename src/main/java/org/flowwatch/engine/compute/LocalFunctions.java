package org.flowwatch.engine.compute;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.flowwatch.config.ComputeConfig;

/**
 * Builds the provider's maps from the config's {@code compute} section: function ids to their source
 * and name, and endpoint ids to launchers chosen by endpoint key.
 */
public final class LocalFunctions {
  private LocalFunctions() {}

  /**
   * Every function of {@code compute.functions} that has an id, by that id. A function without one
   * (never registered) cannot be named by a flow input, so it has no entry.
   */
  public static Map<String, LocalFunction> from(ComputeConfig compute) {
    Map<String, LocalFunction> functions = new LinkedHashMap<>();
    for (ComputeConfig.Function f : compute.functions().values()) {
      if (f.id() != null) {
        functions.put(f.id().toString(), new LocalFunction(f.source().toAbsolutePath(), f.function()));
      }
    }
    return functions;
  }

  /**
   * Every endpoint of {@code compute.endpoints} by id, with the launcher {@code byKey} gives its key, or
   * {@code otherwise} when it gives none.
   */
  public static Map<String, Launcher> launchers(ComputeConfig compute, Map<String, Launcher> byKey,
      Launcher otherwise) {
    Objects.requireNonNull(otherwise, "otherwise");
    Map<String, Launcher> launchers = new LinkedHashMap<>();
    for (ComputeConfig.Endpoint e : compute.endpoints().values()) {
      launchers.put(e.id().toString(), byKey.getOrDefault(e.key(), otherwise));
    }
    return launchers;
  }
}
