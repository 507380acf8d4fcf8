package org.flowwatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.flowwatch.testing.ConfigFiles;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run directory named with a newline and a terminal escape, through the agent's pass, the dry runs and
 * status: nothing prints a raw control character, every row stays one line, JSON log lines parse.
 */
class HostileNamesTest {
  private static final String EVIL = "run7\n2026-01-01T00:00:00Z ERROR forged \u001b[31mred\u202e";

  @TempDir Path tmp;
  private Path watch;
  private Path config;
  private Map<String, String> env;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @BeforeEach
  void setUp() throws Exception {
    Path dir = tmp.toRealPath();
    watch = Files.createDirectories(dir.resolve("watch"));
    Files.writeString(dir.resolve("schema.json"), "{\"type\": \"object\", \"required\": [\"source\"]}");
    config = dir.resolve("flowwatch.yaml");
    ConfigFiles.writeSmall(config, watch, "schema: schema.json\nlabel: \"{run.name}\"", "run(?s:.*)",
        "readiness: [manifest]\nmanifest: {count: 1}");
    Path run = Files.createDirectories(watch.resolve(EVIL));
    Files.writeString(run.resolve("seg\u001b.evt"), "x");
    Files.writeString(Files.createDirectories(watch.resolve("run8")).resolve("seg.evt"), "x");
    env = Map.of("FLOWWATCH_LOCK_DIR", Files.createDirectories(dir.resolve("locks")).toString());
  }

  private int run(String... args) {
    out.getBuffer().setLength(0);
    err.getBuffer().setLength(0);
    return Cli.run(args, new Terminal(new PrintWriter(out, true), new PrintWriter(err, true),
        new BufferedReader(new StringReader("")), env));
  }

  private static void assertNoRawControls(String text) {
    LogLayoutTest.assertNoRawControls(text);
  }

  @Test
  void theWatchDryRunPrintsOneRowPerDirectory() {
    run("--watchdir", watch.toString(), "--dry-run", "--config", config.toString(), "--state-dir",
        tmp.resolve("state").toString());

    assertNoRawControls(out.toString());
    assertNoRawControls(err.toString());
    assertEquals(2, out.toString().lines().count(), out.toString());
    assertTrue(out.toString().contains("run7\\n2026-01-01T00:00:00Z ERROR forged \\x1b[31mred\\u202e\t"),
        out.toString());
  }

  @Test
  void theHandDryRunEscapesTheLabelAndKeepsTheDocumentValidJson() throws Exception {
    run("--rundir", watch.resolve(EVIL).toString(), "--dry-run", "--config", config.toString());

    assertNoRawControls(out.toString());
    assertNoRawControls(err.toString());
    new ObjectMapper().readTree(out.toString());
    assertTrue(err.toString().contains("label: run7\\n2026"), err.toString());
  }

  @Test
  void theAgentsPassAndStatusPrintNoRawControlsAndJsonLogLinesParse() throws Exception {
    String state = tmp.resolve("state").toString();
    PrintStream realErr = System.err;
    ByteArrayOutputStream logs = new ByteArrayOutputStream();
    System.setErr(new PrintStream(logs, true, StandardCharsets.UTF_8));
    try {
      run("--watchdir", watch.toString(), "--once", "--log-format", "json", "--config", config.toString(),
          "--state-dir", state);
    } finally {
      System.setErr(realErr);
    }
    String logText = logs.toString(StandardCharsets.UTF_8);
    assertNoRawControls(logText);
    assertNoRawControls(err.toString());
    assertTrue(logText.contains("forged"), "the pass logged the directory: " + logText + err);
    for (String line : logText.split("\n")) {
      new ObjectMapper().readTree(line); // each line is one whole JSON object
    }

    assertEquals(0, run("status", "--state-dir", state), err.toString());
    assertNoRawControls(out.toString());
    assertEquals(3, out.toString().lines().count(), "a header and one row per directory: " + out);

    run("status", "--state-dir", state, EVIL);
    assertNoRawControls(out.toString());
    assertTrue(out.toString().startsWith("run7\\n2026-01-01T00:00:00Z ERROR forged \\x1b[31mred\\u202e: "),
        out.toString());
  }
}
