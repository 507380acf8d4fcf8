package org.flowwatch.engine;

import static org.flowwatch.engine.EngineFixture.CONTEXT;
import static org.flowwatch.engine.EngineFixture.failed;
import static org.flowwatch.engine.EngineFixture.json;
import static org.flowwatch.engine.EngineFixture.succeeded;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.flowwatch.engine.EngineFixture.FakeProvider;
import org.flowwatch.engine.EngineFixture.Recorder;
import org.flowwatch.flow.FlowDefinition;
import org.flowwatch.flow.FlowLinter;
import org.flowwatch.flow.JsonDocument;
import org.flowwatch.flow.LintReport;
import org.junit.jupiter.api.Test;

/**
 * The flows flowwatch ships, and every real definition under src/test/resources/realdata (byte copies of
 * shared/reference/realdata) that lints clean, run start to end on in-test providers that answer like the
 * hosted Transfer and Compute providers.
 */
class ShippedFlowsRunTest {
  private static final String TRANSFER = "https://transfer.actions.globus.org/";
  private static final String COMPUTE = "https://compute.actions.globus.org/v3";
  private static final Path FRIB_INPUT =
      Path.of("src/test/resources/realdata/aschester-e21062-Globus-Flows/reconstructed/example_input_run1217.json");
  private static final Path RESORTED_INPUT = Path.of("src/test/resources/flows/transfer_resorted_input.json");

  /** Hosted-shaped answers; {@code existing} are the paths mkdir finds already there. */
  private static FakeProvider transfer(Set<String> existing) {
    return new FakeProvider(Set.of(TRANSFER + "transfer", TRANSFER + "mkdir", TRANSFER + "stat", TRANSFER + "ls",
        TRANSFER + "delete"), (url, p) -> switch (url.substring(TRANSFER.length())) {
          case "mkdir" -> existing.contains(p.path("path").asText())
              ? failed(json("{'code': 'ExternalError.MkdirFailed.Exists', 'http_response_code': 502}"))
              : succeeded(json("{'DATA_TYPE': 'mkdir_result', 'code': 'DirectoryCreated'}"));
          case "stat" -> succeeded(json("{'DATA_TYPE': 'file', 'type': 'dir', 'name': 'x', 'size': 4096}"));
          case "transfer" -> succeeded(json("{'DATA_TYPE': 'task', 'status': 'SUCCEEDED', 'files_transferred': 3,"
              + " 'nice_status': 'OK'}"));
          default -> succeeded(json("{'DATA': []}"));
        });
  }

  private static FakeProvider compute(String failingFunction) {
    return new FakeProvider(Set.of(COMPUTE), (url, p) -> {
      String function = p.path("tasks").path(0).path("function_id").asText();
      return function.equals(failingFunction)
          ? failed(json("{'error': 'fit failed on segment run-1217-01.evt'}"))
          : succeeded(json("{'result': ['ok'], 'results': [{'task_id': 't1', 'output': 'ok'}]}"));
    });
  }

  private static FlowInterpreter engine(Path definition, ActionProvider... providers)
      throws DefinitionRefusedException {
    return new FlowInterpreter(FlowDefinition.read(definition), List.of(providers), Map.of(), new EngineFixture.FakeTime());
  }

  private static JsonNode read(Path file) throws IOException {
    return EngineFixture.MAPPER.readTree(Files.readString(file));
  }

  private static List<String> states(Recorder r) {
    return r.checkpoints.stream().map(Checkpoint::state).toList();
  }

  @Test
  void theFribPipelineRunsEveryStepInOrderWhenNoDirectoryExistsYet() throws Exception {
    FakeProvider transfer = transfer(Set.of());
    FakeProvider compute = compute("none");
    Recorder events = new Recorder();
    JsonNode input = read(FRIB_INPUT);
    RunResult r = engine(Path.of("flows/transfer_compute.json"), transfer, compute).run(input, CONTEXT, events);
    assertTrue(r.succeeded(), r::toString);
    assertEquals(List.of("MakeRawDataDir", "MakeFitTopDir", "MakeConvertedTopDir", "MakeAnalyzedTopDir", "MakeLogDir",
        "MakeFitRunDir", "MakeConvertedRunDir", "TransferRawData", "FitData", "ConvertData", "AnalyzeData",
        "TransferSortedOutput", "Done"), states(events));
    JsonNode sent = transfer.calls.get(transfer.urlsCalled.indexOf(TRANSFER + "transfer"));
    assertEquals(input.at("/rawdata/filter_rules"), sent.get("filter_rules"));
    assertEquals(input.at("/rawdata/source/path"), sent.at("/DATA/0/source_path"));
    assertEquals(input.at("/fit/function"), compute.calls.get(0).at("/tasks/0/function_id"));
    assertEquals(input.at("/compute_log_dir/path"), compute.calls.get(0).at("/tasks/0/kwargs/log_dir"));
    assertEquals("ok", r.output().at("/AnalyzeData/details/result/0").asText());
    assertEquals(input.get("fit"), r.output().get("fit"), "the input stays in the final state");
  }

  @Test
  void anExistingDirectoryTakesTheStatAndChoosePathAndTheRunGoesOn() throws Exception {
    JsonNode input = read(FRIB_INPUT);
    FakeProvider transfer = transfer(Set.of(input.at("/top_rawdata_dir/path").asText()));
    Recorder events = new Recorder();
    RunResult r = engine(Path.of("flows/transfer_compute.json"), transfer, compute("none"))
        .run(input, CONTEXT, events);
    assertTrue(r.succeeded(), r::toString);
    assertEquals(List.of("MakeRawDataDir", "StatRawDataDir", "RawDataDirExists", "MakeFitTopDir"),
        states(events).subList(0, 4));
    assertEquals("ActionFailedException", r.output().at("/MakeRawDataDirError/Error").asText());
    assertTrue(r.output().at("/MakeRawDataDirError/Cause").asText().contains("MkdirFailed.Exists"));
  }

  @Test
  void aFailingFitEndsTheRunInItsFailStateWithTheSegmentInTheCaughtError() throws Exception {
    JsonNode input = read(FRIB_INPUT);
    Recorder events = new Recorder();
    RunResult r = engine(Path.of("flows/transfer_compute.json"), transfer(Set.of()),
        compute(input.at("/fit/function").asText())).run(input, CONTEXT, events);
    assertEquals(RunResult.FAILED, r.status());
    assertEquals("ComputeFailed", r.error());
    assertEquals("FitDataFailed", r.failedState());
    assertTrue(r.output().at("/FitDataError/Cause").asText().contains("run-1217-01.evt"), r.output()::toString);
    assertTrue(events.events.contains("caught FitData ActionFailedException -> FitDataFailed"), events.events::toString);
  }

  @Test
  void theTransferFlowRunsOnTheResortedInput() throws Exception {
    FakeProvider transfer = transfer(Set.of());
    JsonNode input = read(RESORTED_INPUT);
    RunResult r = engine(Path.of("flows/transfer.json"), transfer).run(input, CONTEXT, new Recorder());
    assertTrue(r.succeeded(), r::toString);
    assertEquals(List.of(TRANSFER + "transfer"), transfer.urlsCalled);
    assertEquals(input.at("/transfer/sync_level"), transfer.calls.get(0).get("sync_level"));
    assertEquals("SUCCEEDED", r.output().at("/Transfer/status").asText());
  }

  /** Every definition file under the realdata copies. */
  private static List<Path> realDefinitions() throws IOException {
    try (Stream<Path> files = Files.walk(Path.of("src/test/resources/realdata"))) {
      return files.filter(f -> f.getFileName().toString().endsWith("definition.json")).sorted().toList();
    }
  }

  @Test
  void everyRealDefinitionThatLintsCleanRunsAndEveryOtherIsRefusedWithItsLintErrors() throws Exception {
    List<Path> definitions = realDefinitions();
    assertEquals(3, definitions.size(), definitions::toString);
    List<String> ran = new ArrayList<>();
    for (Path file : definitions) {
      JsonDocument doc = FlowDefinition.read(file);
      LintReport lint = new FlowLinter().lint(doc, null);
      Set<String> urls = new HashSet<>();
      if (doc.isWellFormed()) {
        doc.root().path("States").forEach(s -> urls.add(FlowInterpreter.normalise(s.path("ActionUrl").asText())));
      }
      urls.remove("");
      FakeProvider any = new FakeProvider(urls, (u, p) -> succeeded(json("{'DATA_TYPE': 'task', 'status': 'SUCCEEDED'}")));
      if (lint.hasErrors()) {
        DefinitionRefusedException e = assertThrows(DefinitionRefusedException.class, () -> engine(file, any));
        assertEquals(lint.errors(), e.problems().size(), file + ": " + e.problems());
        assertTrue(any.calls.isEmpty());
      } else {
        JsonNode input = json("{}");
        RunResult r = engine(file, any).run(input, CONTEXT, new Recorder());
        assertTrue(r.succeeded(), file + ": " + r);
        ran.add(file.toString());
      }
    }
    // Today every real definition uses a retired provider (FW301) or is an unfilled template (FW001): the
    // service would refuse them all, so none runs. A new clean one must run above; this line says so.
    assertFalse(definitions.isEmpty());
    assertEquals(List.of(), ran, "a real definition now lints clean: give it an input document and assert its run");
  }
}
