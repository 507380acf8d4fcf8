package org.flowwatch.watch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.flowwatch.cli.Cli;
import org.flowwatch.cli.Terminal;
import org.flowwatch.ledger.Ledger;
import org.flowwatch.ledger.RunState;
import org.flowwatch.ledger.Transition;
import org.flowwatch.run.TreeSnapshot;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code flowwatch explain DIR} on real directories, a real config and a real ledger. */
class ExplainTest {
  @TempDir Path dir;
  private Path watch;
  private Path state;

  @BeforeEach
  void setUp() throws IOException {
    watch = Files.createDirectories(dir.resolve("watch"));
    state = dir.resolve("state");
    Files.writeString(dir.resolve("schema.json"), AgentTest.SCHEMA);
    Files.writeString(dir.resolve("flowwatch.yaml"), AgentTest.config(watch,
        "readiness: [sentinel, settle]\n  sentinel: DONE\n  trigger_delay: 30s"));
  }

  private List<String> explain(Path target) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Cli.run(new String[] {"explain", target.toString(), "--config", dir.resolve("flowwatch.yaml")
        .toString(), "--state-dir", state.toString()}, new Terminal(new PrintWriter(out, true),
        new PrintWriter(err, true), new BufferedReader(new StringReader("")), Map.of("HOME", dir.toString())));
    assertEquals(0, code, err.toString());
    return out.toString().lines().toList();
  }

  private static String line(List<String> lines, String start) {
    return lines.stream().map(String::strip).filter(l -> l.startsWith(start)).findFirst()
        .orElseThrow(() -> new AssertionError("no line starting '" + start + "' in:\n" + String.join("\n", lines)));
  }

  private Path runDir(String name) throws IOException {
    Path run = Files.createDirectories(watch.resolve(name));
    Files.writeString(run.resolve(name + "-00.evt"), "segment");
    return run;
  }

  @Test
  void aDirectoryBeingWrittenShowsTheMissingSentinelAndRsyncTemporaryFiles() throws IOException {
    Path run = runDir("run0001");
    Files.writeString(run.resolve(".run0001-01.evt.Ab12Cd"), "half a segment");

    List<String> said = explain(run);

    assertEquals("agent: not running; no agent has run with the state directory " + state, said.get(0));
    assertEquals("run0001 (" + run + ")", said.get(1));
    assertTrue(line(said, "ledger:").contains("there is no ledger yet"), said.toString());
    assertEquals("rsync temporary files: 1 (a transfer is still writing)", line(said, "rsync temporary files:"));
    assertEquals("sentinel DONE: missing", line(said, "sentinel DONE:"));
    assertTrue(line(said, "input document:").startsWith("input document: valid against "), said.toString());
    assertTrue(line(said, "next:").startsWith("next: the agent records it as SEEN at the next scan"), said.toString());
  }

  @Test
  void aSettlingDirectoryShowsItsQuietTimeFromTheAgentsMemoryAndWhenItWillBeReady() throws IOException {
    Path run = runDir("run0002");
    Files.writeString(run.resolve("DONE"), "");
    Instant since = Instant.now().minusSeconds(10);
    try (Ledger ledger = Ledger.open(state.resolve("ledger.db"), watch, Clock.systemUTC())) {
      ledger.apply(Transition.of("run0002", RunState.SEEN).reason("new run directory"));
      ledger.apply(Transition.of("run0002", RunState.SETTLING)
          .settle(TreeSnapshot.take(run, null).fingerprint(), since).reason("settling"));
    }

    List<String> said = explain(run);

    assertTrue(line(said, "ledger:").startsWith("ledger: SETTLING since "), said.toString());
    assertTrue(said.stream().anyMatch(l -> l.strip().contains("SEEN -> SETTLING  settling")), said.toString());
    assertEquals("sentinel DONE: present", line(said, "sentinel DONE:"));
    String settle = line(said, "settle:");
    assertTrue(settle.startsWith("settle: unchanged since " + since + " (10s of 30s); settled at "
        + since.plusSeconds(30)), settle);
    assertEquals("next: READY at the first scan after " + since.plusSeconds(30) + " if the tree stays as it is",
        line(said, "next:"));

    Files.writeString(run.resolve("run0002-01.evt"), "another segment");
    assertTrue(line(explain(run), "settle:").startsWith("settle: still changing: the tree differs from the"
        + " agent's last look"));
  }

  @Test
  void anInvalidDocumentShowsEachViolationAndWhatBringsItBack() throws IOException {
    Path run = runDir("run0000"); // number 0 breaks "minimum": 1
    try (Ledger ledger = Ledger.open(state.resolve("ledger.db"), watch, Clock.systemUTC())) {
      ledger.apply(Transition.of("run0000", RunState.INVALID).error("schema").reason("input document invalid"));
    }

    List<String> said = explain(run);

    assertTrue(line(said, "input document:").startsWith("input document: breaks "), said.toString());
    assertTrue(line(said, "/number:").equals("/number: 0 is not greater or equal to 1"), said.toString());
    assertEquals("next: looked at again when its tree changes; or 'flowwatch retry run0000' once the document is"
        + " fixed another way", line(said, "next:"));
  }

  @Test
  void aNameTheAgentIgnoresSaysWhy() throws IOException {
    Path notes = Files.createDirectories(watch.resolve("calibration"));

    List<String> said = explain(notes);

    assertEquals("ignored: calibration does not match the run directory pattern run(?<number>\\d+)",
        line(said, "ignored:"));
    assertEquals("next: nothing; the agent ignores calibration", line(said, "next:"));
  }
}
