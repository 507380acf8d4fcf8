package org.flowwatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.io.BufferedReader;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.flowwatch.config.ConfigException;
import org.flowwatch.globus.NotFoundException;
import org.flowwatch.globus.OutcomeUnknownException;
import org.flowwatch.input.TemplateException;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

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

  private static final String NOTHING = "nothing to do: give --watchdir DIR (the agent) or --rundir DIR";
  private static final String BOTH = "--rundir and --watchdir cannot be combined; use one of them";
  private static final String WAIT_DRY = "--wait follows a started run, and --dry-run starts none; use one of them";
  private static final String WAIT_RUNDIR = "--wait works with --rundir only";
  private static final String AGENT_ONLY = "--once, --poll, --log-dir and --http work with --watchdir only";
  private static final String HAND_ONLY = "--again and --force work with --rundir only";
  private static final String HAND_DRY = "--again and --force change what a start does, and --dry-run starts nothing";
  private static final String DELAY = "--trigger-delay expects seconds (30) or a duration (30s, 2m), got 'soon'";
  private static final String ENGINE = "--engine expects globus or local, got 'cloud'";

  /** Every option rule of the top command, with combinations it must refuse. */
  static Stream<Arguments> refusedCombinations() {
    return Stream.of(
        arguments(NOTHING, new String[] {}),
        arguments(NOTHING, new String[] {"--dry-run"}),
        arguments(BOTH, new String[] {"--rundir", "r", "--watchdir", "w"}),
        arguments(BOTH, new String[] {"--watchdir", "w", "--rundir", "r", "--dry-run"}),
        arguments(WAIT_DRY, new String[] {"--rundir", "r", "--dry-run", "--wait"}),
        arguments(WAIT_DRY, new String[] {"--watchdir", "w", "--dry-run", "--wait"}),
        arguments(WAIT_RUNDIR, new String[] {"--watchdir", "w", "--wait"}),
        arguments(AGENT_ONLY, new String[] {"--rundir", "r", "--once"}),
        arguments(AGENT_ONLY, new String[] {"--rundir", "r", "--poll"}),
        arguments(AGENT_ONLY, new String[] {"--rundir", "r", "--log-dir", "logs"}),
        arguments(AGENT_ONLY, new String[] {"--rundir", "r", "--dry-run", "--once"}),
        arguments(AGENT_ONLY, new String[] {"--rundir", "r", "--http", "127.0.0.1:9464"}),
        arguments("Invalid value for option '--http': an IPv6 address needs brackets: [::1]:9464",
            new String[] {"--watchdir", "w", "--http", "::1:9464"}),
        arguments(HAND_ONLY, new String[] {"--watchdir", "w", "--again"}),
        arguments(HAND_ONLY, new String[] {"--watchdir", "w", "--force"}),
        arguments(HAND_ONLY, new String[] {"--watchdir", "w", "--once", "--force"}),
        arguments(HAND_DRY, new String[] {"--rundir", "r", "--dry-run", "--again"}),
        arguments(HAND_DRY, new String[] {"--rundir", "r", "--dry-run", "--force"}),
        arguments(DELAY, new String[] {"--watchdir", "w", "--trigger-delay", "soon"}),
        arguments(DELAY, new String[] {"--rundir", "r", "--trigger-delay", "soon"}),
        arguments(ENGINE, new String[] {"--rundir", "r", "--engine", "cloud"}),
        arguments(ENGINE, new String[] {"--watchdir", "w", "--engine", "cloud"}));
  }

  @ParameterizedTest(name = "[{index}] {1} -> {0}")
  @MethodSource("refusedCombinations")
  void givenARefusedCombinationOfOptions_whenRun_thenItExits2NamingTheRule(String message, String[] args) {
    int code = run(Map.of(), args);

    assertEquals(2, code, err.toString());
    assertTrue(err.toString().startsWith("flowwatch: " + message), err.toString());
    assertEquals("", out.toString(), "a refused command prints nothing on stdout");
  }

  @Test
  void givenARootWithTheGlobusEngine_whenRun_thenItExits2SayingTheRootIsForTheLocalEngine() {
    Map<String, String> env = Map.of("FRIB_DTN_ROOT", Path.of("examples/sci-dtn").toAbsolutePath().toString());
    int code = run(env, "--engine", "globus", "--root", "9d6d994a-6d04-11e5-ba46-22000b92c6ec=/tmp", "--rundir",
        "examples/sci-dtn/e21062_2/rawdata/run1217");

    assertEquals(2, code, err.toString());
    assertTrue(err.toString().startsWith("flowwatch: --root maps collections for the local engine; add --engine local"),
        err.toString());
  }

  @Test
  void givenATriggerDelayInSecondsOrAsADuration_whenRun_thenTheRuleAcceptsIt() {
    Map<String, String> env = Map.of("FRIB_DTN_ROOT", Path.of("examples/sci-dtn").toAbsolutePath().toString());

    for (String delay : new String[] {"30", "2m", "PT45S"}) {
      int code = run(env, "--dry-run", "--rundir", "examples/sci-dtn/e21062_2/rawdata/run1217", "--trigger-delay",
          delay);
      assertEquals(0, code, delay + ": " + err);
      assertTrue(!err.toString().contains("--trigger-delay expects"), err.toString());
    }
  }

  @Test
  void theNamesThatMakeTheSubcommandsRegisteredAreTheirs() {
    Terminal t = new Terminal(new PrintWriter(out, true), new PrintWriter(err, true),
        new BufferedReader(new StringReader("")), Map.of());

    assertEquals(Cli.SUBCOMMANDS, List.copyOf(Cli.create(t).getSubcommands().keySet()));
  }

  @ParameterizedTest
  @MethodSource("topCommandArguments")
  void onlyArgumentsThatCannotMeanASubcommandSkipThem(boolean alone, List<String> args) {
    assertEquals(alone, Cli.topCommandAlone(args.toArray(String[]::new)), args.toString());
  }

  static Stream<Arguments> topCommandArguments() {
    return Stream.of(
        arguments(true, List.of("--dry-run", "--rundir", "run1217")),
        arguments(true, List.of("--watchdir=/data", "--once")),
        arguments(false, List.of()),
        arguments(false, List.of("--version")),
        arguments(false, List.of("status", "--rundir", "x")),
        arguments(false, List.of("--rundir", "x", "--help")),
        arguments(false, List.of("--watchdir", "/data", "-h")),
        arguments(false, List.of("--rundir", "x", "-Vh")),
        arguments(true, List.of("--rundir", "x", "-V")),
        arguments(false, List.of("--rundir", "lint")),
        arguments(false, List.of("--config", "f.yaml", "check")));
  }

  @Test
  void givenASubcommandAfterTheAgentsOptionsWithoutHelp_whenRun_thenThatSubcommandRuns() {
    assertEquals(0, run(Map.of(), "--watchdir", "/nonexistent", "lint", "--config", "flowwatch.yaml"), err.toString());
    assertTrue(err.toString().contains("lint: no findings"), err.toString());
  }

  @Test
  void givenASubcommandAfterTheAgentsOptions_whenRun_thenThatSubcommandRuns() {
    assertEquals(0, run(Map.of(), "--watchdir", "/nonexistent", "lint", "--help"));
    assertTrue(out.toString().startsWith("Usage: flowwatch lint"), out.toString());
  }
}
