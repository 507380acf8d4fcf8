package org.flowwatch.flow;

import static org.flowwatch.flow.RealData.FLOWCRON_SCHEMA;
import static org.flowwatch.flow.RealData.FLOWCRON_TEMPLATE;
import static org.flowwatch.flow.RealData.FRIB_PIPELINE;
import static org.flowwatch.flow.RealData.FRIB_PIPELINE_SCHEMA;
import static org.flowwatch.flow.RealData.FRIB_TRANSFER;
import static org.flowwatch.flow.RealData.FRIB_TRANSFER_SCHEMA;
import static org.flowwatch.flow.RealData.path;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * Every flow definition and input schema under shared/reference/realdata, linted, with what each must
 * produce. The FRIB flows were written for the Transfer action providers shut down in January 2025.
 */
class RealDataLintTest {

  private static LintReport lint(String definition, String schema) {
    return new FlowLinter().lint(definition == null ? null : FlowDefinition.read(path(definition)),
        schema == null ? null : FlowLinter.readSchema(path(schema)));
  }

  /** Finding id → pointers, to assert on the whole set at once. */
  private static Map<String, List<String>> byRule(LintReport report) {
    return report.findings().stream().collect(Collectors.groupingBy(Finding::id, TreeMap::new,
        Collectors.mapping(Finding::pointer, Collectors.toList())));
  }

  private static List<String> states(String... names) {
    return Stream.of(names).map(n -> "/States/" + n).sorted().toList();
  }

  private static List<String> urls(String... names) {
    return Stream.of(names).map(n -> "/States/" + n + "/ActionUrl").sorted().toList();
  }

  private static List<String> sorted(List<String> pointers) {
    return pointers.stream().sorted().toList();
  }

  @ParameterizedTest
  @ValueSource(strings = {FRIB_PIPELINE_SCHEMA, FRIB_TRANSFER_SCHEMA, FLOWCRON_SCHEMA})
  void everyRealInputSchemaIsAValidDraft7Schema(String schema) {
    LintReport report = lint(null, schema);

    assertEquals(List.of(), report.lines());
  }

  @Test
  void theSchemaFlowwatchShipsForFribIsValid() {
    LintReport report = new FlowLinter().lint(null, FlowLinter.readSchema(Path.of("schemas/transfer_compute.json")));

    assertEquals(List.of(), report.lines());
  }

  @Test
  void fribPipelineUsesRetiredTransferProvidersInSixteenStates() {
    LintReport report = lint(FRIB_PIPELINE, FRIB_PIPELINE_SCHEMA);

    Map<String, List<String>> found = byRule(report);
    assertEquals(List.of("FW301", "FW302", "FW304", "FW305"), List.copyOf(found.keySet()), report.lines()::toString);
    assertEquals(urls("LookupRawTransferPath", "MakeRawTransferDirectory", "LookupTopFitPath", "MakeTopFitDirectory",
        "LookupTopConvertedPath", "MakeTopConvertedDirectory", "LookupTopAnalysisPath", "MakeTopAnalysisDirectory",
        "LookupLogPath", "MakeLogDirectory", "TransferRawData", "LookupFitPath", "MakeFitDirectory",
        "LookupConvertedPath", "MakeConvertedDirectory", "TransferPipelineOutput"), sorted(found.get("FW301")));
    assertEquals(states("MakeRawTransferDirectory", "MakeTopFitDirectory", "MakeTopConvertedDirectory",
        "MakeTopAnalysisDirectory", "MakeLogDirectory", "TransferRawData", "MakeFitDirectory",
        "MakeConvertedDirectory", "TransferPipelineOutput"), sorted(found.get("FW302")));
    assertEquals(states("MakeRawTransferDirectory", "MakeTopFitDirectory", "MakeTopConvertedDirectory",
        "MakeTopAnalysisDirectory", "MakeLogDirectory", "TransferRawData", "MakeFitDirectory", "FitData",
        "MakeConvertedDirectory", "ConvertData", "AnalyzeData", "TransferPipelineOutput"), sorted(found.get("FW304")));
    assertEquals(urls("FitData", "ConvertData", "AnalyzeData"), sorted(found.get("FW305")));
    assertEquals(16, report.errors());
    assertTrue(report.hasErrors());
  }

  @Test
  void retiredUrlFindingsNameTheReplacementAndTheRenamedParameters() {
    LintReport report = lint(FRIB_PIPELINE, FRIB_PIPELINE_SCHEMA);

    Finding transfer = report.withRule(LintRule.FW301).stream()
        .filter(f -> f.pointer().equals("/States/TransferRawData/ActionUrl")).findFirst().orElseThrow();
    assertTrue(transfer.message().contains("'https://actions.automate.globus.org/transfer/transfer'"), transfer.message());
    assertTrue(transfer.message().contains("use 'https://transfer.actions.globus.org/transfer'"), transfer.message());
    assertTrue(transfer.message().contains("source_endpoint_id → source_endpoint, destination_endpoint_id →"
        + " destination_endpoint, transfer_items → DATA"), transfer.message());
    assertEquals(new Location(193, 13), transfer.location());
    Finding mkdir = report.withRule(LintRule.FW301).stream()
        .filter(f -> f.pointer().equals("/States/MakeLogDirectory/ActionUrl")).findFirst().orElseThrow();
    assertTrue(mkdir.message().contains("use 'https://transfer.actions.globus.org/mkdir'"), mkdir.message());
    assertTrue(mkdir.toString().startsWith(path(FRIB_PIPELINE) + ":181:6: error FW301 "), mkdir.toString());
  }

  @Test
  void fribPipelineReadsOnlyWhatItsSchemaDeclares() {
    LintReport report = lint(FRIB_PIPELINE, FRIB_PIPELINE_SCHEMA);

    assertTrue(report.findings().stream().noneMatch(f -> f.id().startsWith("FW1") || f.id().startsWith("FW2")),
        report.lines()::toString);
  }

  @Test
  void fribTransferFlowHasOneRetiredUrlAndNoCatch() {
    LintReport report = lint(FRIB_TRANSFER, FRIB_TRANSFER_SCHEMA);

    assertEquals(Map.of("FW301", List.of("/States/Transfer/ActionUrl"), "FW302", List.of("/States/Transfer"),
        "FW304", List.of("/States/Transfer")), byRule(report));
    assertTrue(report.findings().get(2).message().contains("'https://transfer.actions.globus.org/transfer'"),
        report.lines()::toString);
  }

  @Test
  void flowCronTemplateIsReportedAsNotJsonWithItsLocationAndThePlaceholder() {
    LintReport report = lint(FLOWCRON_TEMPLATE, FLOWCRON_SCHEMA);

    assertEquals(1, report.findings().size(), report.lines()::toString);
    Finding f = report.findings().get(0);
    assertEquals(LintRule.FW001, f.rule());
    assertEquals(new Location(253, 22), f.location());
    assertTrue(f.toString().startsWith(path(FLOWCRON_TEMPLATE) + ":253:22: error FW001 "), f.toString());
    assertTrue(f.message().contains("'FLOW_WAIT_MIN' looks like a template placeholder"), f.message());
    assertFalse(f.message().contains("at [Source"), "Jackson's source dump is noise: " + f.message());
  }

  @Test
  void flowCronFilledInHasOnlyActionWarnings() {
    String filled = RealData.text(FLOWCRON_TEMPLATE).replace("FLOW_WAIT_MIN", "300")
        .replace("SOURCE_ENDPOINT_UUID", "0b1c2d3e-0000-4000-8000-000000000009");
    LintReport report = new FlowLinter().lint(JsonDocument.parse(filled, "flowcron.json"),
        FlowLinter.readSchema(path(FLOWCRON_SCHEMA)));

    Map<String, List<String>> found = byRule(report);
    assertEquals(List.of("FW302", "FW304"), List.copyOf(found.keySet()), report.lines()::toString);
    assertEquals(List.of("/States/GetSourceCollection"), found.get("FW302"));
    assertEquals(14, found.get("FW304").size());
    assertFalse(report.hasErrors());
  }
}
