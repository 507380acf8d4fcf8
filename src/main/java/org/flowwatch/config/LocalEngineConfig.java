package org.flowwatch.config;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The {@code local_engine} section: how the local flow engine finds a flow's collections and runs its
 * Compute functions on this machine.
 *
 * @param roots collection name (a key of {@code collections}) to the local directory that holds its
 *     {@code /}; overrides the collection's {@code local_root} for the local engine
 * @param environment variables added to every local Compute function's environment (the FRIB functions
 *     read {@code FLOWWATCH_LAUNCHER}, {@code FLOWWATCH_JOB_DIR}, their job scripts {@code FW_*})
 * @param launchers compute endpoint name (a key of {@code compute.endpoints}) to how its functions run
 *     here; an endpoint not named runs them directly
 * @param workDir where each function call's request, result and log files are made (on a file system the
 *     Slurm nodes share, for srun and sbatch), or null for a new temporary directory
 * @param python the Python interpreter the functions run with
 */
public record LocalEngineConfig(Map<String, Path> roots, Map<String, String> environment,
    Map<String, Launcher> launchers, Path workDir, String python) {
  public static final String DEFAULT_PYTHON = "python3";
  public static final LocalEngineConfig NONE = new LocalEngineConfig(Map.of(), Map.of(), Map.of(), null,
      DEFAULT_PYTHON);

  /** The launcher kinds, as the config writes them. */
  public static final Set<String> KINDS = Set.of("direct", "srun", "sbatch");

  public LocalEngineConfig {
    roots = Collections.unmodifiableMap(new LinkedHashMap<>(roots));
    environment = Collections.unmodifiableMap(new LinkedHashMap<>(environment));
    launchers = Collections.unmodifiableMap(new LinkedHashMap<>(launchers));
    Objects.requireNonNull(python, "python");
  }

  /**
   * How one endpoint's functions are started.
   *
   * @param kind {@code direct}, {@code srun} or {@code sbatch}
   * @param options extra srun or sbatch options ({@code --partition=debug})
   * @param environment variables for this endpoint's functions, over {@link #environment()}
   */
  public record Launcher(String kind, List<String> options, Map<String, String> environment) {
    public Launcher {
      if (!KINDS.contains(kind)) {
        throw new IllegalArgumentException("kind must be direct, srun or sbatch, not " + kind);
      }
      options = List.copyOf(options);
      environment = Collections.unmodifiableMap(new LinkedHashMap<>(environment));
    }
  }
}
