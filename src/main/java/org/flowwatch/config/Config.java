package org.flowwatch.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The whole flowwatch configuration, as loaded from one YAML file by {@link ConfigLoader}.
 *
 * @param file the file it was read from (relative paths inside it are resolved against its directory)
 * @param collections Globus collections by the name the config gives them, in file order
 * @param flow the flow to start
 * @param runDirectory which directories are runs and what to count in them
 * @param vars free values the input template may use as {@code {vars.NAME}}
 * @param input the input-document template (a JSON tree with placeholders)
 * @param auth how to authenticate to Globus
 * @param watch how the agent detects complete run directories and paces starts
 * @param compute Globus Compute endpoints and functions
 * @param localEngine how the local flow engine maps collections and runs functions on this machine
 * @param engine where runs execute unless the command line says otherwise (default: the Globus service)
 * @param notifications where and what the agent tells people ({@code notify:}); {@link NotifyConfig#NONE} without it
 * @param http where the agent serves metrics and health, or null (off)
 */
public record Config(
    Path file,
    Map<String, CollectionConfig> collections,
    FlowConfig flow,
    RunDirectoryConfig runDirectory,
    Map<String, JsonNode> vars,
    JsonNode input,
    AuthConfig auth,
    WatchConfig watch,
    ComputeConfig compute,
    LocalEngineConfig localEngine,
    Engine engine,
    NotifyConfig notifications,
    HttpConfig http) {

  public Config {
    Objects.requireNonNull(file, "file");
    collections = Collections.unmodifiableMap(new LinkedHashMap<>(collections));
    Objects.requireNonNull(flow, "flow");
    Objects.requireNonNull(runDirectory, "run_directory");
    vars = Collections.unmodifiableMap(new LinkedHashMap<>(vars == null ? Map.of() : vars));
    Objects.requireNonNull(input, "input");
    auth = auth == null ? AuthConfig.DEFAULT : auth;
    watch = watch == null ? WatchConfig.DEFAULT : watch;
    compute = compute == null ? ComputeConfig.NONE : compute;
    localEngine = localEngine == null ? LocalEngineConfig.NONE : localEngine;
    engine = engine == null ? Engine.GLOBUS : engine;
    notifications = notifications == null ? NotifyConfig.NONE : notifications;
  }

  /** A config without local_engine, engine, notify or http sections. */
  public Config(Path file, Map<String, CollectionConfig> collections, FlowConfig flow,
      RunDirectoryConfig runDirectory, Map<String, JsonNode> vars, JsonNode input, AuthConfig auth,
      WatchConfig watch, ComputeConfig compute) {
    this(file, collections, flow, runDirectory, vars, input, auth, watch, compute, null, null, null, null);
  }

  /** A config without watch or compute settings (their defaults apply). */
  public Config(Path file, Map<String, CollectionConfig> collections, FlowConfig flow,
      RunDirectoryConfig runDirectory, Map<String, JsonNode> vars, JsonNode input, AuthConfig auth) {
    this(file, collections, flow, runDirectory, vars, input, auth, null, null, null, null, null, null);
  }

  /** The same config with other watch settings (command-line overrides). */
  public Config withWatch(WatchConfig other) {
    return new Config(file, collections, flow, runDirectory, vars, input, auth, other, compute, localEngine, engine,
        notifications, http);
  }

  /** The same config serving metrics and health at {@code other} ({@code --http}). */
  public Config withHttp(HttpConfig other) {
    return new Config(file, collections, flow, runDirectory, vars, input, auth, watch, compute, localEngine, engine,
        notifications, other);
  }

  /** The collection whose local root contains {@code path}, choosing the deepest root when several do. */
  public Optional<CollectionConfig> collectionContaining(Path path) {
    Path abs = path.toAbsolutePath().normalize();
    return collections.values().stream()
        .filter(c -> c.localRoot() != null && abs.startsWith(c.localRoot()))
        .max((a, b) -> Integer.compare(a.localRoot().getNameCount(), b.localRoot().getNameCount()));
  }
}
