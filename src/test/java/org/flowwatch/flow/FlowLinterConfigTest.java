package org.flowwatch.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
    Files.createDirectories(dir.resolve("flows"));
    Files.createDirectories(dir.resolve("schemas"));
    Files.copy(RealData.path(RealData.FRIB_TRANSFER), dir.resolve("flows/transfer.json"));
    Files.copy(RealData.path(RealData.FRIB_TRANSFER_SCHEMA), dir.resolve("schemas/transfer.json"));
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
    LintReport report = FlowLinter.lint(config(false));

    assertEquals(List.of(), report.lines());
    assertTrue(!report.hasErrors());
  }
}
