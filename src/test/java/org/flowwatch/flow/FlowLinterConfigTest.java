package org.flowwatch.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.flowwatch.config.Config;
import org.flowwatch.config.ConfigLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one-call lint the agent's --dry-run uses: whatever the config names. */
class FlowLinterConfigTest {

  @TempDir Path dir;

  private Config config(boolean withDefinition) throws Exception {
    return config(withDefinition, Files.readString(RealData.path(RealData.FRIB_TRANSFER_SCHEMA)));
  }

  /** A config naming schemas/transfer.json (with {@code schema} as its text), and the definition if asked. */
  private Config config(boolean withDefinition, String schema) throws Exception {
    Files.createDirectories(dir.resolve("flows"));
    Files.createDirectories(dir.resolve("schemas"));
    Files.copy(RealData.path(RealData.FRIB_TRANSFER), dir.resolve("flows/transfer.json"));
    Files.writeString(dir.resolve("schemas/transfer.json"), schema);
    Files.writeString(dir.resolve("flowwatch.yaml"), "flow:\n"
        + (withDefinition ? "  definition: flows/transfer.json\n" : "")
        + "  schema: schemas/transfer.json\n"
        + "run_directory:\n  pattern: 'run(?<number>\\d+)'\n"
        + "input:\n  transfer: {}\n");
    return new ConfigLoader(Map.of()).load(dir.resolve("flowwatch.yaml"));
  }

  @Test
  void lintsTheDefinitionAndSchemaTheConfigNames() throws Exception {
    LintReport report = FlowLinter.lint(config(true));

    assertEquals(1, report.errors(), report.lines()::toString);
    assertEquals(dir.resolve("flows/transfer.json").toString(), report.findings().get(0).file());
  }

  @Test
  void withoutADefinitionOnlyTheSchemaIsChecked() throws Exception {
    // Given: a schema the meta-schema rejects ("objekt" is no JSON type), and the FRIB definition, which
    // has a lint error of its own, lying in flows/ without the config naming it.
    Config config = config(false, "{\"type\": \"objekt\", \"properties\": {}}\n");

    LintReport report = FlowLinter.lint(config);

    // Then: the schema's finding is reported (it was checked) and nothing else (the definition was not,
    // nor was the schema mistaken for a definition, which would add FW1xx structure errors).
    String schema = dir.resolve("schemas/transfer.json").toString();
    assertEquals(List.of(LintRule.FW401), report.findings().stream().map(Finding::rule).distinct().toList(),
        report.lines()::toString);
    assertEquals(List.of(schema), report.findings().stream().map(Finding::file).distinct().toList());
  }
}
