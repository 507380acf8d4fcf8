package org.flowwatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a mistyped command line is answered with; the guess comes from config.Suggestions. */
class FailureReporterTest {
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    Terminal t = new Terminal(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true),
        new BufferedReader(new StringReader("")), Map.of());
    return Cli.run(args, t);
  }

  @Test
  void aMisspeltOptionIsAnsweredWithTheOneClosestOption() {
    assertEquals(2, run("--watchdri", "x"));
    assertTrue(err.toString().contains("Possible solutions: --watchdir" + System.lineSeparator()), err.toString());
  }

  @Test
  void aMisspeltOptionWithAValueIsMatchedByItsName() {
    assertEquals(2, run("--trigger-dealy=5", "--rundir", "x"));
    assertTrue(err.toString().contains("Possible solutions: --trigger-delay"), err.toString());
  }

  @Test
  void aMisspeltSubcommandIsAnsweredWithItsFullName() {
    assertEquals(2, run("statsu"));
    assertTrue(err.toString().contains("Did you mean: flowwatch status?"), err.toString());
  }

  @Test
  void aMisspeltOptionOfASubcommandIsLookedUpAmongThatSubcommandsOptions() {
    assertEquals(2, run("login", "--scop", "x"));
    assertTrue(err.toString().contains("Possible solutions: --scope"), err.toString());
  }

  @Test
  void nothingCloseMeansNoGuess() {
    assertEquals(2, run("--xyz"));
    assertFalse(err.toString().contains("Possible solutions"), err.toString());
    assertTrue(err.toString().contains("Run 'flowwatch --help' for usage."), err.toString());
  }
}
