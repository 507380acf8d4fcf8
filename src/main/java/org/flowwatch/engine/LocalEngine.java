package org.flowwatch.engine;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.flowwatch.config.CollectionConfig;
import org.flowwatch.config.ComputeConfig;
import org.flowwatch.config.Config;
import org.flowwatch.config.LocalEngineConfig;
import org.flowwatch.engine.compute.Launcher;
import org.flowwatch.engine.compute.LocalComputeProvider;
import org.flowwatch.engine.compute.LocalFunctions;
import org.flowwatch.engine.transfer.LocalTransferProvider;
import org.flowwatch.flow.FlowDefinition;
import org.flowwatch.flow.JsonDocument;

/**
 * The one place that turns a config into a runnable local engine: the collection map, the local Transfer
 * provider, and the local Compute provider with each function's source and each endpoint's launcher.
 * {@code flowwatch run-flow} and the engine behind {@code --rundir}/{@code --watchdir} both build their
 * {@link FlowInterpreter}s here, so a flow runs the same way from either.
 *
 * <p>Where a collection's files are, in this order (the first that names it wins):
 * <ol>
 *   <li>{@code --root ID=DIR} (the {@code roots} given to {@link #of}): DIR holds the collection's {@code /};</li>
 *   <li>{@code local_engine.roots.<name>: DIR}: the same;</li>
 *   <li>the collection's {@code local_root}: it holds what the collection shows at {@code globus_root}, so
 *       FRIB's {@code /mnt/sci-dtn/x} is {@code /mnt/cephfs/sci-dtn/x}.</li>
 * </ol>
 * A collection none of these names has no local files: an action that names it fails with
 * ActionUnableToRun, saying how to map it.
 */
public final class LocalEngine {
  private static final Pattern UUID =
      Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
  private final Map<String, LocalCollection> collections;
  private final List<ActionProvider> providers;
  private final Timekeeper time;

  private LocalEngine(Map<String, LocalCollection> collections, List<ActionProvider> providers, Timekeeper time) {
    this.collections = Map.copyOf(collections);
    this.providers = List.copyOf(providers);
    this.time = time;
  }

  /**
   * The engine for {@code config} (null: no config, so only {@code roots} map collections and no Compute
   * function is known).
   *
   * @param roots collection id (or, with a config, a collection's name there) to the directory that holds its
   *     {@code /}; these win over the config
   * @throws IllegalArgumentException when a root names neither an id nor a collection of the config
   */
  public static LocalEngine of(Config config, Map<String, Path> roots) {
    return of(config, roots, Timekeeper.SYSTEM);
  }

  /** As {@link #of(Config, Map)}, with the time Wait states read and sleep on. */
  public static LocalEngine of(Config config, Map<String, Path> roots, Timekeeper time) {
    Objects.requireNonNull(roots, "roots");
    Map<String, LocalCollection> collections = new LinkedHashMap<>();
    ComputeConfig compute = config == null ? ComputeConfig.NONE : config.compute();
    LocalEngineConfig local = config == null ? LocalEngineConfig.NONE : config.localEngine();
    if (config != null) {
      for (CollectionConfig c : config.collections().values()) {
        Path dir = local.roots().get(c.name());
        if (dir != null) {
          collections.put(key(c.id().toString()), LocalCollection.at(dir));
        } else if (c.localRoot() != null) {
          collections.put(key(c.id().toString()), new LocalCollection(c.localRoot(), c.globusRoot()));
        }
      }
    }
    roots.forEach((id, dir) -> collections.put(key(collectionId(config, id)), LocalCollection.at(dir)));

    Map<String, Launcher> byKey = new LinkedHashMap<>();
    local.launchers().forEach((endpoint, l) -> {
      Map<String, String> env = new LinkedHashMap<>(local.environment());
      env.putAll(l.environment());
      byKey.put(endpoint, new Launcher(Launcher.Kind.parse(l.kind()), l.options(), env));
    });
    Launcher otherwise = new Launcher(Launcher.Kind.DIRECT, List.of(), local.environment());
    LocalComputeProvider computeProvider = new LocalComputeProvider(LocalFunctions.from(compute),
        LocalFunctions.launchers(compute, byKey, otherwise), workDir(local), local.python());
    return new LocalEngine(collections, List.of(new LocalTransferProvider(), computeProvider), time);
  }

  /** An interpreter for the definition in {@code file} (read with its lines, for lint messages that name them). */
  public FlowInterpreter interpreter(Path file) throws DefinitionRefusedException {
    return interpreter(FlowDefinition.read(file));
  }

  /** An interpreter for {@code definition}; refused as {@link FlowInterpreter} says. */
  public FlowInterpreter interpreter(JsonDocument definition) throws DefinitionRefusedException {
    return new FlowInterpreter(definition, providers, collections, time);
  }

  /** Collection id (lower case) to where its files are here, sorted by id. */
  public Map<String, LocalCollection> collections() {
    return new TreeMap<>(collections);
  }

  private static String key(String id) {
    return id.toLowerCase(Locale.ROOT);
  }

  private static String collectionId(Config config, String idOrName) {
    if (config != null) {
      CollectionConfig named = config.collections().get(idOrName);
      if (named != null) {
        return named.id().toString();
      }
    }
    if (!UUID.matcher(idOrName).matches()) {
      throw new IllegalArgumentException("'" + idOrName + "' is not a collection id (a UUID such as"
          + " 9d6d994a-6d04-11e5-ba46-22000b92c6ec)" + (config == null ? "" : " nor the name of a collection in "
          + config.file() + " (" + String.join(", ", config.collections().keySet()) + ")"));
    }
    return idOrName;
  }

  /**
   * The configured work directory, or one of this user's own under the system's temporary directory, made
   * (owner-only) at the first call: each call makes and removes its own directory inside.
   */
  private static Path workDir(LocalEngineConfig local) {
    if (local.workDir() != null) {
      return local.workDir();
    }
    return Path.of(System.getProperty("java.io.tmpdir"), "flowwatch-engine-" + System.getProperty("user.name"));
  }
}
