package org.flowwatch.engine.compute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.flowwatch.engine.ActionContext;
import org.flowwatch.engine.ActionStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The srun and sbatch launchers on the one-node Slurm cluster of dev/slurm, started here (it needs root
 * and the slurm-wlm and munge packages: dev/install-test-deps.sh). Where srun is not installed these
 * tests are skipped, and say so.
 */
class SlurmLaunchersTest {
  private static final Path CLUSTER = Path.of("target", "java-tests", "slurm").toAbsolutePath();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static Map<String, String> slurm;

  @TempDir Path tmp;

  @BeforeAll
  static void startCluster() throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/srun")), "no /usr/bin/srun here: the Slurm launchers are"
        + " not tested (dev/install-test-deps.sh installs Slurm)");
    String output = start();
    if (output != null) {
      // A job of an earlier, killed test run keeps the node busy ("mix"): this cluster is ours alone, so
      // cancel what it still holds and try once more.
      ProcessBuilder scancel = new ProcessBuilder("scancel", "--full", "--user=" + System.getProperty("user.name"))
          .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
      scancel.environment().put("SLURM_CONF", CLUSTER.resolve("slurm.conf").toString());
      scancel.start().waitFor(30, TimeUnit.SECONDS);
      output = start();
    }
    assertTrue(output == null, "the test cluster did not start: " + output);
    slurm = Map.of("SLURM_CONF", CLUSTER.resolve("slurm.conf").toString());
  }

  /** Starts (or finds) the cluster; null when it is up, else what start.sh said. */
  private static String start() throws Exception {
    ProcessBuilder builder = new ProcessBuilder("dev/slurm/start.sh", CLUSTER.toString()).redirectErrorStream(true);
    builder.environment().put("SLURM_CONF", CLUSTER.resolve("slurm.conf").toString());
    Process start = builder.start();
    String output = new String(start.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    return start.waitFor(120, TimeUnit.SECONDS) && start.exitValue() == 0 ? null : output;
  }

  @AfterAll
  static void stopCluster() throws Exception {
    if (slurm != null) {
      new ProcessBuilder("dev/slurm/stop.sh", CLUSTER.toString()).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor(120, TimeUnit.SECONDS);
    }
  }

  private LocalComputeProvider provider(Launcher.Kind kind, Path source) {
    Launcher launcher = new Launcher(kind, List.of("--time=5"), slurm);
    return new LocalComputeProvider(Map.of(LocalComputeProviderTest.id(1), new LocalFunction(source, "where"),
        LocalComputeProviderTest.id(2), new LocalFunction(source, "fail"),
        LocalComputeProviderTest.id(3), new LocalFunction(source, "hang"),
        LocalComputeProviderTest.id(4), new LocalFunction(source, "submit")),
        Map.of(LocalComputeProviderTest.ENDPOINT, launcher), tmp.resolve("work"), "python3");
  }

  private Path source() throws IOException {
    Path source = tmp.resolve("jobs.py");
    Files.writeString(source, String.join("\n",
        "import os",
        "def where(tag):",
        "    print('in job', os.environ.get('SLURM_JOB_ID'))",
        "    return {'tag': tag, 'job': os.environ.get('SLURM_JOB_ID')}",
        "def fail():",
        "    raise ValueError('no segments of run 1217')",
        "def hang(pid_file):",
        "    import time",
        "    with open(pid_file + '.part', 'w') as f:",
        "        f.write(str(os.getpid()))",
        "    os.rename(pid_file + '.part', pid_file)",
        "    time.sleep(600)",
        "def submit(pid_file):",
        "    import subprocess",
        "    script = pid_file + '.sh'",
        "    with open(script, 'w') as f:",
        "        f.write('#!/bin/sh\\necho $$ > %s.part\\nmv %s.part %s\\nexec sleep 600\\n'",
        "                % (pid_file, pid_file, pid_file))",
        "    os.chmod(script, 0o755)",
        "    subprocess.run(['sbatch', '--wait', '--time=5', '--output=' + pid_file + '.out', script], check=True)",
        ""));
    return source;
  }

  private ActionStatus call(LocalComputeProvider provider, int function, String args) throws Exception {
    return provider.run(LocalComputeProvider.V3, JSON.readTree("{\"endpoint_id\": \""
        + LocalComputeProviderTest.ENDPOINT
        + "\", \"tasks\": [{\"function_id\": \"" + LocalComputeProviderTest.id(function) + "\", \"args\": " + args
        + "}]}"), new ActionContext("run-1", "FitData", Map.of(), line -> {}));
  }

  @Test
  void srunRunsTheFunctionAsAJobStep() throws Exception {
    ActionStatus status = call(provider(Launcher.Kind.SRUN, source()), 1, "[\"srun\"]");

    assertEquals(ActionStatus.SUCCEEDED, status.status(), status.details().toString());
    assertEquals("srun", status.details().path("result").get(0).path("tag").asText());
    assertTrue(status.details().path("result").get(0).path("job").asText().matches("\\d+"),
        status.details().toString());
  }

  @Test
  void sbatchRunsTheFunctionAsABatchJobAndReportsItsException() throws Exception {
    LocalComputeProvider provider = provider(Launcher.Kind.SBATCH, source());

    ActionStatus ok = call(provider, 1, "[\"sbatch\"]");
    ActionStatus failed = call(provider, 2, "[]");

    assertEquals(ActionStatus.SUCCEEDED, ok.status(), ok.details().toString());
    assertTrue(ok.details().path("result").get(0).path("job").asText().matches("\\d+"), ok.details().toString());
    assertEquals(ActionStatus.FAILED, failed.status());
    assertTrue(failed.details().path("error").asText().contains("ValueError: no segments of run 1217"),
        failed.details().toString());
  }

  @Test
  void anInterruptedSbatchActionCancelsItsJob() throws Exception {
    assertInterruptionCancels(Launcher.Kind.SBATCH, 3);
  }

  @Test
  void anInterruptedFunctionsOwnBatchJobsAreCancelledToo() throws Exception {
    // The FRIB functions run directly and submit their job scripts with sbatch --wait themselves.
    assertInterruptionCancels(Launcher.Kind.DIRECT, 4);
  }

  private void assertInterruptionCancels(Launcher.Kind kind, int function) throws Exception {
    LocalComputeProvider provider = provider(kind, source());
    Path pidFile = tmp.resolve("job.pid");
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    Thread caller = new Thread(() -> {
      try {
        call(provider, function, "[\"" + pidFile + "\"]");
      } catch (Throwable t) {
        thrown.set(t);
      }
    });
    caller.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!Files.exists(pidFile) && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    assertTrue(Files.exists(pidFile), "the batch job started");
    long pid = Long.parseLong(Files.readString(pidFile).trim());

    caller.interrupt();
    caller.join(TimeUnit.SECONDS.toMillis(60));

    assertTrue(thrown.get() instanceof InterruptedException, String.valueOf(thrown.get()));
    // The job's process is slurmd's, not ours: only scancel can have ended it.
    long gone = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (alive(pid) && System.nanoTime() < gone) {
      Thread.sleep(100);
    }
    assertFalse(alive(pid), "the job's process " + pid + " was cancelled");
  }

  private static boolean alive(long pid) throws IOException {
    Path status = Path.of("/proc", Long.toString(pid), "status");
    return Files.exists(status) && !Files.readString(status).contains("State:\tZ");
  }
}
