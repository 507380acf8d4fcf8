package org.flowwatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.flowwatch.testing.ConfigFiles;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --rundir judges a run directory by its real path: a link out of every collection is refused. */
class RealPathsTest {
  @TempDir Path tmp;
  private Path watch;
  private Path config;
  private Path secret;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @BeforeEach
  void setUp() throws Exception {
    Path dir = tmp.toRealPath();
    watch = Files.createDirectories(dir.resolve("watch"));
    Files.writeString(dir.resolve("schema.json"), "{\"type\": \"object\", \"required\": [\"source\"]}");
    config = dir.resolve("flowwatch.yaml");
    ConfigFiles.writeSmall(config, watch, AgentHarness.FLOW_SECTION, "run(?<number>\\d+)",
        "readiness: [manifest]\nmanifest: {count: 1}");
    secret = Files.createDirectories(dir.resolve("home/alice/run9"));
    Files.writeString(secret.resolve("id_rsa"), "x");
    Files.createSymbolicLink(watch.resolve("run9"), secret);
  }

  private int run(String... args) {
    return Cli.run(args, new Terminal(new PrintWriter(out, true), new PrintWriter(err, true),
        new BufferedReader(new StringReader("")), Map.of()));
  }

  @Test
  void aLinkedRunDirectoryOutsideEveryCollectionIsRefusedByTheDryRun() {
    int code = run("--rundir", watch.resolve("run9").toString(), "--dry-run", "--config", config.toString());

    assertEquals(ExitCode.INVALID_INPUT, code, err.toString());
    assertEquals("", out.toString(), "no input document for data outside the collection");
    assertEquals(1, err.toString().lines().count(), err.toString());
    assertTrue(err.toString().startsWith("flowwatch: Run directory " + watch.resolve("run9")
        + " is a symbolic link to " + secret + ", outside the local_root of every collection"), err.toString());
  }

  @Test
  void aLinkedRunDirectoryOutsideEveryCollectionIsRefusedBeforeAnyCredentialIsAskedFor() {
    int code = run("--rundir", watch.resolve("run9").toString(), "--config", config.toString(), "--state-dir",
        tmp.resolve("state").toString());

    assertEquals(ExitCode.INVALID_INPUT, code, err.toString());
    assertEquals(1, err.toString().lines().count(), err.toString());
    assertTrue(err.toString().contains("is a symbolic link to " + secret), err.toString());
  }
}
