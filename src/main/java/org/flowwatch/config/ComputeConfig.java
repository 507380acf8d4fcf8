package org.flowwatch.config;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * The Globus Compute side: the endpoints flows run on and the functions registered there.
 *
 * @param endpoints endpoints by the name the config gives them, in file order
 * @param functions functions by the name the config gives them, in file order
 */
public record ComputeConfig(Map<String, Endpoint> endpoints, Map<String, Function> functions) {
  public static final ComputeConfig NONE = new ComputeConfig(Map.of(), Map.of());

  public ComputeConfig {
    endpoints = Collections.unmodifiableMap(new LinkedHashMap<>(endpoints));
    functions = Collections.unmodifiableMap(new LinkedHashMap<>(functions));
  }

  /**
   * A Globus Compute endpoint.
   *
   * @param key its name in the config
   * @param id the endpoint id
   * @param name the endpoint's local name (what {@code globus-compute-endpoint configure NAME} created), or null
   */
  public record Endpoint(String key, UUID id, String name) {
    public Endpoint {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(id, "id");
    }
  }

  /**
   * A function registered with Globus Compute from a Python source file.
   *
   * @param key its name in the config
   * @param source the Python file that defines it (absolute)
   * @param function the name of the top-level Python function in that file
   * @param id the registered function id, or null before the first registration
   * @param endpoint the key of the endpoint it runs on, or null
   */
  public record Function(String key, Path source, String function, UUID id, String endpoint) {
    public Function {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(source, "source");
      Objects.requireNonNull(function, "function");
    }
  }
}
