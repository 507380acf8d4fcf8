package org.flowwatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import org.flowwatch.config.ConfigException;
import org.flowwatch.globus.NotFoundException;
import org.flowwatch.globus.OutcomeUnknownException;
import org.flowwatch.input.TemplateException;
import org.junit.jupiter.api.Test;

/** Parse-level tests through the same factory the jar uses, with an in-memory terminal. */
class CliTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(Map<String, String> env, String... args) {
    Terminal t = new Terminal(new PrintWriter(out, true), new PrintWriter(err, true),
        new BufferedReader(new StringReader("")), env);
    return Cli.run(args, t);
  }

  @Test
  void dryRunOfTheBundledExampleIsValid() {
    int code = run(Map.of("FRIB_DTN_ROOT", Path.of("examples/sci-dtn").toAbsolutePath().toString()),
        "--dry-run", "--rundir", "examples/sci-dtn/e21062_2/rawdata/run1217");
    assertEquals(0, code, err.toString());
    assertTrue(out.toString().startsWith("{\n  \"top_rawdata_dir\": {"), out.toString());
  }

  @Test
  void loginHasItsOwnHelp() {
    assertEquals(0, run(Map.of(), "login", "--help"));
    assertTrue(out.toString().contains("Usage: flowwatch login"), out.toString());
    assertTrue(out.toString().contains("--scope=SCOPE"), out.toString());
  }

  @Test
  void unknownSubcommandOptionPointsAtThatSubcommandsHelp() {
    assertEquals(2, run(Map.of(), "login", "--nope"));
    assertTrue(err.toString().contains("Run 'flowwatch login --help' for usage."), err.toString());
  }

  @Test
  void badDurationIsAUsageError() {
    assertEquals(2, run(Map.of(), "--rundir", "x", "--wait-interval", "soon"));
    assertTrue(err.toString().startsWith("flowwatch: Invalid value for option '--wait-interval'"), err.toString());
  }

  @Test
  void failuresMapToTheirDocumentedExitCodes() {
    assertEquals(3, FailureReporter.exitCodeOf(new ConfigException("x")));
    assertEquals(3, FailureReporter.exitCodeOf(new TemplateException("x")));
    assertEquals(6, FailureReporter.exitCodeOf(new NotFoundException("get x", "it is gone", "check", null)));
    assertEquals(7, FailureReporter.exitCodeOf(new OutcomeUnknownException("start", "timeout", "label", null)));
    assertEquals(1, FailureReporter.exitCodeOf(new IllegalStateException("bug")));
  }
}
