package org.flowwatch.engine.compute;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How one Compute endpoint runs its functions here. A hosted endpoint runs each function in a worker,
 * which on an HPC endpoint lives inside a Slurm job; locally the function runs in its own
 * {@code python3} process, started directly, as a job step ({@code srun}), or as a batch job
 * ({@code sbatch --wait}).
 *
 * <p>The FRIB functions (src/main/python/pipeline.py) start their job scripts themselves, with their own
 * {@code launcher} setting read from {@code FLOWWATCH_<STAGE>_LAUNCHER} or {@code FLOWWATCH_LAUNCHER};
 * on Perlmutter the endpoint's workers get those from the site's env file (ep_launch/frib.env). Here
 * {@link #environment} plays that part: {@code {FLOWWATCH_LAUNCHER: sbatch, FLOWWATCH_JOB_DIR: ...}} with
 * {@link Kind#DIRECT} runs the function directly and its job scripts through {@code sbatch --wait}.
 *
 * @param kind how the function's process is started
 * @param options extra srun or sbatch options (e.g. {@code --partition=debug}), ignored for direct
 * @param environment variables added to the function's environment
 */
public record Launcher(Kind kind, List<String> options, Map<String, String> environment) {
  /** How the function's process is started. */
  public enum Kind {
    /** {@code python3 RUNNER ...} as a child of this JVM. */
    DIRECT,
    /** {@code srun --nodes=1 --ntasks=1 [options] python3 RUNNER ...}: a step in a new allocation. */
    SRUN,
    /** {@code sbatch --wait --parsable [options] --wrap 'python3 RUNNER ...'}: a batch job, waited for. */
    SBATCH;

    /** The kind a config names: {@code direct}, {@code srun} or {@code sbatch}. */
    public static Kind parse(String name) {
      for (Kind kind : values()) {
        if (kind.name().equalsIgnoreCase(name)) {
          return kind;
        }
      }
      throw new IllegalArgumentException("launcher must be direct, srun or sbatch, not '" + name + "'");
    }
  }

  public static final Launcher DIRECT = new Launcher(Kind.DIRECT, List.of(), Map.of());

  public Launcher {
    Objects.requireNonNull(kind, "kind");
    options = List.copyOf(options);
    environment = Map.copyOf(environment);
  }
}
