package org.flowwatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** run-flow from the packaged jar, in a clean environment: the bundled example end to end, no stack traces. */
class RunFlowJarIT {
  private static final Path CONFIG = Path.of("examples/local-engine.yaml").toAbsolutePath();
  private static final Path FLOW = Path.of("flows/transfer_compute.json").toAbsolutePath();

  @TempDir Path dir;

  @Test
  void theReadmesLocalRunOfTheFribExampleBringsTheSortedFileHome() throws Exception {
    Path example = dir.resolve("example");
    copyTree(Path.of("examples/sci-dtn"), example.resolve("sci-dtn"));
    Files.createDirectories(example.resolve("nersc"));
    JarRunner jar = new JarRunner(dir).env("FLOWWATCH_EXAMPLE_DIR", example.toString());

    JarRunner.Result dry = jar.run("--config", CONFIG.toString(), "--dry-run", "--rundir",
        example.resolve("sci-dtn/e21062_2/rawdata/run1217").toString()).assertNoStackTrace();
    assertEquals(0, dry.code(), dry.err());
    Files.writeString(dir.resolve("run1217.json"), dry.out());
    JarRunner.Result run = jar.run("--config", CONFIG.toString(), "run-flow", FLOW.toString(), "run1217.json")
        .assertNoStackTrace();

    assertEquals(0, run.code(), run.err());
    assertTrue(run.out().contains("\"status\" : \"SUCCEEDED\""), run.out());
    assertTrue(run.err().contains("\nAnalyzeData (Action, "), run.err());
    assertTrue(Files.readString(example.resolve("sci-dtn/e21062_2/nersc_analysis/run-1217-sorted.root"))
        .startsWith("sorted 1217 3"));
  }

  @Test
  void aDefinitionWithAnUnservedActionUrlExitsFourWithOneMessage() throws Exception {
    Path flow = dir.resolve("flow.json");
    Files.writeString(flow, "{\"StartAt\": \"A\", \"States\": {\"A\": {\"Type\": \"Action\", \"ActionUrl\":"
        + " \"https://example.org/x\", \"Parameters\": {}, \"ResultPath\": \"$.A\", \"WaitTime\": 60,"
        + " \"ExceptionOnActionFailure\": true, \"End\": true}}}");
    Files.writeString(dir.resolve("in.json"), "{}");

    JarRunner.Result r = new JarRunner(dir).run("run-flow", flow.toString(), "in.json").assertNoStackTrace();

    assertEquals(4, r.code(), r.err());
    assertEquals("", r.out());
    assertTrue(r.err().startsWith("flowwatch: the local engine cannot run "), r.err());
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> walk = Files.walk(from)) {
      for (Path p : walk.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
  }

  @Test
  void sigtermStopsTheRunningFunctionAndTheJobItStartedInASessionOfItsOwn() throws Exception {
    Files.writeString(dir.resolve("schema.json"), "{}");
    Files.writeString(dir.resolve("jobs.py"), String.join("\n",
        "import os, subprocess, time",
        "def hang(pids):",
        "    job = subprocess.Popen(['sleep', '600'], start_new_session=True)",
        "    with open(pids + '.part', 'w') as f:",
        "        f.write('%d %d' % (os.getpid(), job.pid))",
        "    os.rename(pids + '.part', pids)",
        "    time.sleep(600)",
        ""));
    Files.writeString(dir.resolve("flowwatch.yaml"), """
        collections: {}
        flow: {schema: schema.json}
        run_directory: {pattern: 'run\\d+'}
        input: {a: 1}
        compute:
          endpoints:
            fit: {id: ff16dcd1-0632-4fdd-8b0c-d239d4f1b889}
          functions:
            hang: {source: jobs.py, function: hang, endpoint: fit, id: 42e3e64f-4d1e-4681-9a3e-cc9533d7933e}
        """);
    Path pids = dir.resolve("pids");
    Files.writeString(dir.resolve("flow.json"), ("{'StartAt': 'Hang', 'States': {'Hang': {'Type': 'Action',"
        + " 'ActionUrl': 'https://compute.actions.globus.org/v3', 'Parameters': {'endpoint_id':"
        + " 'ff16dcd1-0632-4fdd-8b0c-d239d4f1b889', 'tasks': [{'function_id': '42e3e64f-4d1e-4681-9a3e-cc9533d7933e',"
        + " 'args': ['" + pids + "']}]}, 'ResultPath': '$.Hang', 'WaitTime': 900, 'ExceptionOnActionFailure': true,"
        + " 'End': true}}}").replace('\'', '"'));
    Files.writeString(dir.resolve("in.json"), "{}");
    Path log = dir.resolve("run.log");

    Process p = new JarRunner(dir).start(log, "--config", dir.resolve("flowwatch.yaml").toString(), "run-flow",
        "flow.json", "in.json");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!Files.exists(pids) && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertTrue(Files.exists(pids), () -> "the function never started: " + read(log));
    p.destroy();

    assertTrue(p.waitFor(30, TimeUnit.SECONDS), "run-flow did not stop within 30 s of SIGTERM");
    assertEquals(143, p.exitValue(), () -> read(log));
    for (String pid : Files.readString(pids).split(" ")) {
      Optional<ProcessHandle> left = ProcessHandle.of(Long.parseLong(pid));
      assertFalse(left.isPresent() && left.get().isAlive(), "process " + pid + " outlived run-flow");
    }
    assertTrue(read(log).contains("run-flow: stopped in state Hang"), () -> read(log));
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }
}
