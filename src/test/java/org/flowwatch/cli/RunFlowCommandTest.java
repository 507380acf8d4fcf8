package org.flowwatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** flowwatch run-flow through the CLI factory: the run record, the state lines, and the exit codes. */
class RunFlowCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String NERSC = "9d6d994a-6d04-11e5-ba46-22000b92c6ec";

  @TempDir Path dir;
  private StringWriter out = new StringWriter();
  private StringWriter err = new StringWriter();

  private int run(Map<String, String> env, String... args) {
    out = new StringWriter();
    err = new StringWriter();
    Terminal t = new Terminal(new PrintWriter(out, true), new PrintWriter(err, true),
        new BufferedReader(new StringReader("")), env);
    return Cli.run(args, t);
  }

  private int run(String... args) {
    return run(Map.of(), args);
  }

  private Path write(String name, String json) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, json.replace('\'', '"'));
    return file;
  }

  /** The stderr lines about states: every line but run-flow's own first and last. */
  private List<String> stateLines() {
    return err.toString().lines().filter(l -> !l.startsWith("run-flow: ")).toList();
  }

  private static final String CHOOSE = """
      {'StartAt': 'Start', 'States': {
        'Start': {'Type': 'Pass', 'Parameters': {'n.$': '$.n'}, 'ResultPath': '$.seen', 'Next': 'Big'},
        'Big': {'Type': 'Choice', 'Choices': [{'Variable': '$.n', 'NumericGreaterThan': 10, 'Next': 'TooBig'}],
                'Default': 'Done'},
        'TooBig': {'Type': 'Fail', 'Error': 'TooBig', 'Cause': 'n is over 10'},
        'Done': {'Type': 'Pass', 'End': true}}}
      """;

  @Test
  void aSucceedingRunExitsZeroPrintsTheRunRecordAndOneLinePerState() throws Exception {
    int code = run("run-flow", write("flow.json", CHOOSE).toString(), write("in.json", "{'n': 3}").toString());

    assertEquals(0, code, err::toString);
    JsonNode record = JSON.readTree(out.toString());
    assertEquals("SUCCEEDED", record.path("status").asText());
    assertTrue(record.path("run_id").asText().matches("[0-9a-f-]{36}"), out::toString);
    assertEquals("local:flow.json", record.path("flow_id").asText());
    assertEquals(3, record.at("/details/output/seen/n").asInt());
    assertEquals(List.of("Start (Pass", "Big (Choice", "Done (Pass"),
        stateLines().stream().map(l -> l.substring(0, l.indexOf(','))).toList(), err::toString);
    assertTrue(stateLines().get(1).endsWith("succeeded -> Done"), err::toString);
    assertTrue(err.toString().trim().endsWith("run-flow: SUCCEEDED (run " + record.path("run_id").asText() + ")"));
  }

  @Test
  void aFailingRunExitsWithTheFlowFailedCodeNamingTheFailingState() throws Exception {
    int code = run("run-flow", write("flow.json", CHOOSE).toString(), write("in.json", "{'n': 12}").toString());

    assertEquals(ExitCode.RUN_FAILED, code, err::toString);
    JsonNode record = JSON.readTree(out.toString());
    assertEquals("FAILED", record.path("status").asText());
    assertEquals("TooBig", record.at("/details/failed_state").asText());
    assertTrue(stateLines().get(2).startsWith("TooBig (Fail, "), err::toString);
    assertTrue(stateLines().get(2).endsWith("failed with TooBig, nothing caught it: n is over 10"), err::toString);
    List<String> lines = err.toString().lines().toList();
    assertEquals("run-flow: FAILED at state TooBig with TooBig: n is over 10", lines.get(lines.size() - 1));
  }

  @Test
  void aCaughtFailureSaysWhatWasCaughtAndWhereTheRunWentOn() throws Exception {
    String flow = """
        {'StartAt': 'Mk', 'States': {
          'Mk': {'Type': 'Action', 'ActionUrl': 'https://transfer.actions.globus.org/mkdir',
                 'Parameters': {'endpoint_id': '%s', 'path': '/a/b'}, 'ResultPath': '$.Mk', 'WaitTime': 60,
                 'ExceptionOnActionFailure': true,
                 'Catch': [{'ErrorEquals': ['ActionFailedException'], 'ResultPath': '$.MkError', 'Next': 'Done'}],
                 'Next': 'Done'},
          'Done': {'Type': 'Pass', 'End': true}}}
        """.formatted(NERSC);
    Path nersc = Files.createDirectories(dir.resolve("nersc"));

    int code = run("run-flow", write("flow.json", flow).toString(), write("in.json", "{}").toString(),
        "--root", NERSC + "=" + nersc);

    assertEquals(0, code, err::toString);
    assertTrue(stateLines().get(0).startsWith("Mk (Action, "), err::toString);
    assertTrue(stateLines().get(0).contains("caught ActionFailedException -> Done: "), err::toString);
    assertTrue(stateLines().get(0).endsWith("caught ActionFailedException -> Done: ExternalError.MkdirFailed: Error"
        + " (mkdir): the parent of /a/b does not exist in collection " + NERSC + " (mkdir makes one directory; make"
        + " its parents first)"), err::toString);
  }

  @Test
  void aRootOptionMapsTheCollectionsSlashToTheDirectory() throws Exception {
    String flow = """
        {'StartAt': 'Mk', 'States': {'Mk': {'Type': 'Action', 'ActionUrl': 'https://transfer.actions.globus.org/mkdir',
          'Parameters': {'endpoint_id': '%s', 'path': '/rawdata'}, 'ResultPath': '$.Mk', 'WaitTime': 60,
          'ExceptionOnActionFailure': true, 'End': true}}}
        """.formatted(NERSC.toUpperCase());
    Path nersc = Files.createDirectories(dir.resolve("nersc"));

    int code = run("run-flow", write("flow.json", flow).toString(), write("in.json", "{}").toString(),
        "--root", NERSC + "=" + nersc);

    assertEquals(0, code, err::toString);
    assertTrue(Files.isDirectory(nersc.resolve("rawdata")));
  }

  @Test
  void withoutConfigTheFlowwatchYamlInTheWorkingDirectoryMapsNothing() throws Exception {
    assertTrue(Files.exists(Path.of("flowwatch.yaml")), "the test needs the FRIB config in the working directory");
    String flow = """
        {'StartAt': 'Mk', 'States': {'Mk': {'Type': 'Action', 'ActionUrl': 'https://transfer.actions.globus.org/mkdir',
          'Parameters': {'endpoint_id': '9656eff2-8105-445c-8501-154dfe1d88e5', 'path': '/mnt/sci-dtn/x'},
          'ResultPath': '$.Mk', 'WaitTime': 60, 'ExceptionOnActionFailure': true, 'End': true}}}
        """;

    int code = run("run-flow", write("flow.json", flow).toString(), write("in.json", "{}").toString());

    assertEquals(ExitCode.RUN_FAILED, code, err::toString);
    assertTrue(err.toString().contains("with collections none mapped"), err::toString);
    assertTrue(err.toString().contains("failed with ActionUnableToRun"), err::toString);
    assertTrue(err.toString().contains("collections known here: none"), err::toString);
  }

  @Test
  void aRootOptionThatIsNotIdEqualsAnExistingDirectoryIsAUsageError() throws Exception {
    Path flow = write("flow.json", CHOOSE);
    Path in = write("in.json", "{'n': 1}");

    assertEquals(ExitCode.USAGE, run("run-flow", flow.toString(), in.toString(), "--root", NERSC));
    assertTrue(err.toString().contains("--root " + NERSC + ": expected COLLECTION_ID=DIR"), err::toString);
    assertEquals(ExitCode.USAGE, run("run-flow", flow.toString(), in.toString(), "--root", NERSC + "=" + dir
        .resolve("nowhere")));
    assertTrue(err.toString().contains(dir.resolve("nowhere") + " does not exist"), err::toString);
    assertEquals(ExitCode.USAGE, run("run-flow", flow.toString(), in.toString(), "--root", "nersc=" + dir));
    assertTrue(err.toString().contains("'nersc' is not a collection id"), err::toString);
    assertEquals("", out.toString());
  }

  @Test
  void aDefinitionTheEngineRefusesIsOneMessageAndTheLintExitCode() throws Exception {
    Path in = write("in.json", "{}");
    String unknownUrl = """
        {'StartAt': 'A', 'States': {'A': {'Type': 'Action', 'ActionUrl': 'https://example.org/actions/x',
          'Parameters': {}, 'ResultPath': '$.A', 'WaitTime': 60, 'ExceptionOnActionFailure': true, 'End': true}}}
        """;

    assertEquals(ExitCode.INVALID_INPUT, run("run-flow", write("a.json", unknownUrl).toString(), in.toString()));
    assertTrue(err.toString().startsWith("flowwatch: the local engine cannot run "), err::toString);
    assertTrue(err.toString().contains("/States/A/ActionUrl: no local action provider serves"
        + " 'https://example.org/actions/x'"), err::toString);
    assertEquals("", out.toString());

    String lintError = "{'StartAt': 'Nope', 'States': {'A': {'Type': 'Pass', 'End': true}}}";
    assertEquals(ExitCode.INVALID_INPUT, run("run-flow", write("b.json", lintError).toString(), in.toString()));
    assertTrue(err.toString().startsWith("flowwatch: the Globus Flows service would refuse"), err::toString);
    assertTrue(err.toString().contains("FW101"), err::toString);
  }

  @Test
  void anInputThatIsNotAJsonObjectIsInvalidInputAndNothingRuns() throws Exception {
    Path flow = write("flow.json", CHOOSE);

    assertEquals(ExitCode.INVALID_INPUT, run("run-flow", flow.toString(), write("in.json", "[1, 2]").toString()));
    assertTrue(err.toString().contains("must be a JSON object"), err::toString);
    assertEquals(ExitCode.INVALID_INPUT, run("run-flow", flow.toString(), write("bad.json", "{'n': ").toString()));
    assertTrue(err.toString().contains("is not valid JSON"), err::toString);
    assertEquals("", out.toString());
  }

  /**
   * The bundled example end to end: the dry run's input document for run1217 from examples/local-engine.yaml,
   * then run-flow on flows/transfer_compute.json: mkdirs, the filtered transfer, fit, convert and analyze
   * through the real job scripts with the tools' stand-ins, and the sorted file home.
   */
  /** The bundled example in a directory of its own: a copy of examples/sci-dtn and an empty NERSC side. */
  private Path example() throws IOException {
    Path example = dir.resolve("example");
    copyTree(Path.of("examples/sci-dtn"), example.resolve("sci-dtn"));
    Files.writeString(example.resolve("sci-dtn/e21062_2/rawdata/run1217/notes.txt"), "not a segment");
    Files.createDirectories(example.resolve("nersc"));
    return example;
  }

  /** The dry run's input document for run1217 from examples/local-engine.yaml, then run-flow on it. */
  private int runFribExample(Path example) throws IOException {
    Map<String, String> env = Map.of("FLOWWATCH_EXAMPLE_DIR", example.toString());
    String config = Path.of("examples/local-engine.yaml").toString();
    assertEquals(0, run(env, "--config", config, "--dry-run", "--rundir",
        example.resolve("sci-dtn/e21062_2/rawdata/run1217").toString()), err::toString);
    Path input = dir.resolve("run1217.json");
    Files.writeString(input, out.toString());
    return run(env, "--config", config, "run-flow", "flows/transfer_compute.json", input.toString());
  }

  /**
   * The bundled example end to end: mkdirs, the filtered transfer, fit, convert and analyze through the real
   * job scripts with the tools' stand-ins, and the sorted file home.
   */
  @Test
  void theFribPipelineRunsOnTheBundledExampleAndBringsTheSortedFileHome() throws Exception {
    Path example = example();

    int code = runFribExample(example);

    assertEquals(0, code, err::toString);
    assertEquals(List.of("MakeRawDataDir", "MakeFitTopDir", "MakeConvertedTopDir", "MakeAnalyzedTopDir", "MakeLogDir",
        "MakeFitRunDir", "MakeConvertedRunDir", "TransferRawData", "FitData", "ConvertData", "AnalyzeData",
        "TransferSortedOutput", "Done"), stateLines().stream().map(l -> l.substring(0, l.indexOf(' '))).toList());
    Path sorted = example.resolve("sci-dtn/e21062_2/nersc_analysis/run-1217-sorted.root");
    String text = Files.readString(sorted);
    assertTrue(text.startsWith("sorted 1217 3\n"), text);
    assertTrue(text.contains("sample event segment 02 of run 1217"), text);
    try (Stream<Path> raw = Files.list(example.resolve("nersc/rawdata/run1217"))) {
      assertEquals(List.of("run-1217-00.evt", "run-1217-01.evt", "run-1217-02.evt"),
          raw.map(p -> p.getFileName().toString()).sorted().toList(), "the filter rules copy only the segments");
    }
    JsonNode record = JSON.readTree(out.toString());
    assertEquals("babd88e5-d31d-48c7-b3a0-b765389b5c22", record.path("flow_id").asText());
    assertEquals(3, record.at("/details/output/FitData/details/result/0/jobs").size());
  }

  @Test
  void aFailingFitToolFailsTheRunAtFitDataFailedNamingTheSegment() throws Exception {
    Path example = example();
    Files.writeString(example.resolve("sci-dtn/e21062_2/rawdata/run1217/run-1217-01.evt"), "FAIL\n");

    int code = runFribExample(example);

    assertEquals(ExitCode.RUN_FAILED, code, err::toString);
    String fit = stateLines().stream().filter(l -> l.startsWith("FitData ")).findFirst().orElseThrow();
    assertTrue(fit.contains("caught ActionFailedException -> FitDataFailed: "), fit);
    assertTrue(fit.contains("segment 01"), fit);
    List<String> lines = err.toString().lines().toList();
    assertTrue(lines.get(lines.size() - 1).startsWith("run-flow: FAILED at state FitDataFailed with "), err::toString);
    assertEquals("FitDataFailed", JSON.readTree(out.toString()).at("/details/failed_state").asText());
    assertTrue(Files.notExists(example.resolve("sci-dtn/e21062_2/nersc_analysis")));
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
