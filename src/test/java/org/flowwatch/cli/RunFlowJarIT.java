package org.flowwatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
}
