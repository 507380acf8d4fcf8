package org.flowwatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.flowwatch.ledger.Ledger;
import org.flowwatch.ledger.RunRecord;
import org.flowwatch.ledger.RunState;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * FRIB's whole pipeline through the packaged agent with {@code engine: local}: real rsync writes the run
 * directory into the watch directory, the agent settles and starts it, the local engine runs the shipped
 * flow, and the FRIB functions submit the real job scripts with their {@code sbatch} launcher to the
 * one-node Slurm cluster of dev/slurm, the fit with an MPI stand-in under mpirun. Needs root and the
 * packages of dev/install-test-deps.sh.
 */
class LocalPipelineJarIT {
  private static final Path REPO = Path.of("").toAbsolutePath();
  private static final Path CLUSTER = REPO.resolve("target/java-tests/slurm-pipeline");
  private static Path mpiTool;
  private static boolean clusterUp;

  @TempDir Path dir;
  private Path rawdata;
  private Process agent;

  @BeforeAll
  static void startCluster() throws Exception {
    for (String tool : new String[] {"/usr/bin/sbatch", "/usr/bin/mpicc", "/usr/bin/mpirun", "/usr/bin/rsync"}) {
      assumeTrue(Files.isExecutable(Path.of(tool)), tool + " is missing: run dev/install-test-deps.sh");
    }
    assumeTrue("root".equals(System.getProperty("user.name")), "the test cluster needs root");
    Process start = new ProcessBuilder("dev/slurm/start.sh", CLUSTER.toString()).redirectErrorStream(true).start();
    String said = new String(start.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(start.waitFor(120, TimeUnit.SECONDS) && start.exitValue() == 0, "the cluster did not start: " + said);
    clusterUp = true;
    Files.createDirectories(CLUSTER);
    mpiTool = CLUSTER.resolve("mpi_eventeditor");
    Process cc = new ProcessBuilder("mpicc", "-O2", "-o", mpiTool.toString(),
        "src/test/python/standins/mpi_eventeditor.c").inheritIO().start();
    assertTrue(cc.waitFor(120, TimeUnit.SECONDS) && cc.exitValue() == 0, "mpicc failed");
  }

  @AfterAll
  static void stopCluster() throws Exception {
    if (clusterUp) {
      new ProcessBuilder("dev/slurm/stop.sh", CLUSTER.toString()).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor(120, TimeUnit.SECONDS);
    }
  }

  @BeforeEach
  void setUp() throws IOException {
    rawdata = Files.createDirectories(dir.resolve("sci-dtn/e21062_2/rawdata"));
    Files.createDirectories(dir.resolve("nersc"));
    Files.writeString(dir.resolve("flowwatch.yaml"), config());
    agent = new JarRunner(dir).env("FLOWWATCH_EXAMPLE_DIR", dir.toString()).start(dir.resolve("agent.log"),
        "--config", dir.resolve("flowwatch.yaml").toString(), "--watchdir", rawdata.toString(),
        "--state-dir", dir.resolve("state").toString(), "--status-poll=PT1S");
  }

  @AfterEach
  void stopAgent() throws InterruptedException {
    if (agent != null) {
      agent.destroy();
      agent.waitFor(20, TimeUnit.SECONDS);
    }
  }

  /**
   * The bundled example's config, its paths made absolute, settling on rsync's writes, and the local
   * engine's functions submitting their job scripts to the test cluster.
   */
  private String config() throws IOException {
    String example = Files.readString(REPO.resolve("examples/local-engine.yaml")).replace("../", REPO + "/");
    int engine = example.indexOf("\nlocal_engine:");
    int input = example.indexOf("\n# The flow's input document");
    String watch = example.substring(example.indexOf("\nwatch:"), example.indexOf("\nrun_directory:"));
    return example.substring(0, engine).replace(watch, """

        watch:
          readiness: [settle]
          trigger_delay: 2s
          scan_interval: 500ms
        """) + """

        local_engine:
          environment:
            FLOWWATCH_LAUNCHER: sbatch
            FLOWWATCH_SBATCH_OPTIONS: "--cpus-per-task=1 --mem=200M"
            FLOWWATCH_MAX_PARALLEL: "3"
            FLOWWATCH_JOB_DIR: %s/slurm_jobs
            SLURM_CONF: %s/slurm.conf
            FW_CONTAINER: none
            FW_DAQ_SETUP: ""
            FW_FIT_TOOL: %s
            FW_MPI_LAUNCHER: mpirun --allow-run-as-root --oversubscribe
            FW_MPI_RANKS: "4"
            FW_ROOT_SETUP: ""
            FW_CONVERT_TOOL: %s/src/test/python/standins/fake_eeconverter.sh
            FW_ANALYZE_SETUP: ""
            FW_ANALYZE_TOOL: %s/src/test/python/standins/fake_betasort.sh
            FW_SCRATCH: %s/scratch
        """.formatted(REPO, CLUSTER, mpiTool, REPO, REPO, dir) + example.substring(input);
  }

  /** Writes a run directory somewhere else, then lets real rsync copy it in, as FRIB's DAQ does. */
  private void rsyncRun(String run, String badSegment) throws Exception {
    Path staging = Files.createDirectories(dir.resolve("staging/" + run));
    for (String seg : new String[] {"00", "01", "02"}) {
      String number = run.substring(3);
      Files.writeString(staging.resolve("run-" + number + "-" + seg + ".evt"),
          seg.equals(badSegment) ? "FAIL\n" : "events " + seg + "\n");
    }
    Process rsync = new ProcessBuilder("rsync", "-a", staging.toString(), rawdata + "/").inheritIO().start();
    assertTrue(rsync.waitFor(60, TimeUnit.SECONDS) && rsync.exitValue() == 0, "rsync failed");
  }

  @Test
  void anRsyncedRunGoesThroughThePipelineOnSlurmAndItsSortedFileComesHome() throws Exception {
    rsyncRun("run1217", null);

    await("run1217 to end", () -> isFinal(state("run1217")));

    assertEquals(RunState.SUCCEEDED, state("run1217"), row("run1217").lastError());
    Path sorted = dir.resolve("sci-dtn/e21062_2/nersc_analysis/run-1217-sorted.root");
    assertTrue(Files.readString(sorted).startsWith("sorted 1217"), Files.readString(sorted));
    try (var logs = Files.list(dir.resolve("nersc/logs"))) {
      assertTrue(logs.anyMatch(p -> p.getFileName().toString().startsWith("fit-run-1217-01-")),
          "the fit of segment 01 ran as a Slurm job with its own log");
    }
  }

  @Test
  void aFailingFitMakesTheRunFailedNamingTheSegment() throws Exception {
    rsyncRun("run1218", "01");

    await("run1218 to end", () -> isFinal(state("run1218")));

    assertEquals(RunState.FAILED, state("run1218"));
    String why = row("run1218").lastError();
    assertTrue(why.contains("FitData") && why.contains("fit of run 1218 failed: segment 01"), why);
  }

  private static boolean isFinal(RunState s) {
    return s != null && s.isFinal();
  }

  private RunRecord row(String key) {
    try (Ledger ledger = Ledger.open(dir.resolve("state/ledger.db"), null, Clock.systemUTC())) {
      return ledger.get(key).orElse(null);
    }
  }

  private RunState state(String key) {
    if (!Files.exists(dir.resolve("state/ledger.db"))) {
      return null;
    }
    RunRecord r = row(key);
    return r == null ? null : r.state();
  }

  private void await(String what, BooleanSupplier condition) throws Exception {
    long end = System.nanoTime() + Duration.ofMinutes(3).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end || !agent.isAlive()) {
        throw new AssertionError("waiting for " + what + (agent.isAlive() ? ": timed out" : ": the agent exited")
            + "; agent log:\n" + Files.readString(dir.resolve("agent.log")));
      }
      Thread.sleep(250);
    }
  }
}
