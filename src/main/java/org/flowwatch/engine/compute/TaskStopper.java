package org.flowwatch.engine.compute;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * Stops everything one function call started on this machine when the interpreter gives up on it.
 *
 * <p>Its process tree is not enough: a function's batch jobs (the FRIB functions submit their job scripts
 * with {@code sbatch --wait}) run under slurmd, not under the function, and killing {@code sbatch --wait}
 * leaves its job running. So each call's processes carry a marker variable in their environment, which
 * Slurm hands on to the jobs they submit; at a stop, every process on this machine with that marker is
 * found in /proc, the Slurm jobs they belong to ({@code SLURM_JOB_ID}) are cancelled, and the processes get
 * SIGTERM and, after a grace period, SIGKILL. A job of this JVM's own allocation is never cancelled. Jobs
 * on other nodes are reached through scancel of their job when one of their processes runs here; the
 * local engine runs on one machine.
 */
final class TaskStopper {
  static final String MARKER = "FLOWWATCH_TASK";
  private static final Duration GRACE = Duration.ofSeconds(5);

  private TaskStopper() {}

  static void stop(Process process, String marker, String submittedJob, Map<String, String> environment,
      Consumer<String> progress) {
    Set<ProcessHandle> victims = new LinkedHashSet<>(process.descendants().toList());
    victims.add(process.toHandle());
    List<Long> marked = marked(marker);
    marked.forEach(pid -> ProcessHandle.of(pid).ifPresent(victims::add));
    Set<String> jobs = new LinkedHashSet<>();
    if (submittedJob != null) {
      jobs.add(submittedJob);
    }
    String ownJob = System.getenv("SLURM_JOB_ID");
    for (long pid : marked) {
      environ(pid).flatMap(env -> variable(env, "SLURM_JOB_ID")).filter(job -> !job.equals(ownJob))
          .ifPresent(jobs::add);
    }
    if (!jobs.isEmpty()) {
      cancel(jobs, environment, progress);
    }
    victims.forEach(ProcessHandle::destroy);
    long deadline = System.nanoTime() + GRACE.toNanos();
    while (victims.stream().anyMatch(ProcessHandle::isAlive) && System.nanoTime() < deadline) {
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
    }
    process.descendants().forEach(victims::add);
    marked(marker).forEach(pid -> ProcessHandle.of(pid).ifPresent(victims::add));
    victims.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    progress.accept("stopped the function's process " + process.pid() + " and " + (victims.size() - 1)
        + " more it started" + (jobs.isEmpty() ? "" : ", and cancelled Slurm job(s) " + String.join(", ", jobs)));
  }

  private static void cancel(Set<String> jobs, Map<String, String> environment, Consumer<String> progress) {
    List<String> command = new ArrayList<>(List.of("scancel"));
    command.addAll(jobs);
    try {
      // The launcher's environment may name the cluster (SLURM_CONF): scancel must reach the same one.
      ProcessBuilder scancel = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD);
      scancel.environment().putAll(environment);
      Process cancel = scancel.start();
      if (!cancel.waitFor(30, TimeUnit.SECONDS)) {
        cancel.destroyForcibly();
        progress.accept("scancel " + String.join(" ", jobs) + " did not answer in 30 s; check squeue");
      }
    } catch (IOException e) {
      progress.accept("could not cancel Slurm job(s) " + String.join(", ", jobs) + ": " + e.getMessage()
          + "; cancel them with scancel " + String.join(" ", jobs));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The processes of this machine whose environment holds {@code MARKER=marker}. */
  static List<Long> marked(String marker) {
    byte[] wanted = (MARKER + "=" + marker).getBytes(StandardCharsets.UTF_8);
    List<Long> pids = new ArrayList<>();
    try (DirectoryStream<Path> proc = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
      for (Path dir : proc) {
        long pid = Long.parseLong(dir.getFileName().toString());
        environ(pid).filter(env -> contains(env, wanted)).ifPresent(env -> pids.add(pid));
      }
    } catch (IOException | NumberFormatException e) {
      // No /proc (not Linux): the process tree is all there is to stop.
    }
    return pids;
  }

  private static Optional<byte[]> environ(long pid) {
    try {
      return Optional.of(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "environ")));
    } catch (IOException | SecurityException e) {
      return Optional.empty(); // gone, or another user's
    }
  }

  private static boolean contains(byte[] environ, byte[] entry) {
    int start = 0;
    for (int i = 0; i <= environ.length; i++) {
      if (i == environ.length || environ[i] == 0) {
        if (i - start == entry.length && Arrays.equals(environ, start, i, entry, 0, entry.length)) {
          return true;
        }
        start = i + 1;
      }
    }
    return false;
  }

  private static Optional<String> variable(byte[] environ, String name) {
    String prefix = name + "=";
    for (String entry : new String(environ, StandardCharsets.UTF_8).split("\0")) {
      if (entry.startsWith(prefix)) {
        return Optional.of(entry.substring(prefix.length()));
      }
    }
    return Optional.empty();
  }
}
