package org.flowwatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** flowwatch lint through the CLI factory: what it prints and how it exits. */
class LintCommandTest {
  private static final Path REALDATA = Path.of("src/test/resources/realdata").toAbsolutePath();
  private static final Path FRIB = REALDATA.resolve("aschester-e21062-Globus-Flows");
  private static final Path FLOWCRON = REALDATA.resolve("rosalindfranklininstitute-FlowCron-Globus_Flow-side");

  @TempDir Path dir;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    Terminal t = new Terminal(new PrintWriter(out, true), new PrintWriter(err, true),
        new BufferedReader(new StringReader("")), Map.of());
    return Cli.run(args, t);
  }

  @Test
  void retiredTransferUrlsAreErrorsSoLintExitsFour() {
    int code = run("lint", FRIB.resolve("transfer/definition.json").toString(),
        FRIB.resolve("transfer/schema.json").toString());

    assertEquals(4, code, err::toString);
    assertTrue(out.toString().contains(FRIB.resolve("transfer/definition.json") + ":8:13: error FW301"
        + " /States/Transfer/ActionUrl: "), out.toString());
    assertTrue(out.toString().contains("use 'https://transfer.actions.globus.org/transfer'"), out.toString());
    assertEquals("lint: 1 error, 2 warnings\n", err.toString());
  }

  @Test
  void warningsAloneExitZero() throws Exception {
    Path config = DeployFixture.copyInto(dir);
    Files.writeString(dir.resolve("flows/copy.json"), Files.readString(dir.resolve("flows/copy.json"))
        .replace("\"WaitTime\": 3600,", ""));

    assertEquals(0, run("--config", config.toString(), "lint"), err::toString);

    assertTrue(out.toString().contains("warning FW303 /States/Copy"), out.toString());
  }

  @Test
  void aCleanFlowFromTheConfigHasNoFindings() {
    Path config = DeployFixture.copyInto(dir);

    assertEquals(0, run("lint", "--config", config.toString()), err::toString);

    assertEquals("", out.toString());
    assertEquals("lint: no findings\n", err.toString());
  }

  @Test
  void aTemplateThatIsNotJsonIsOneClearFindingWithItsPlace() {
    Path template = FLOWCRON.resolve("FlowCron-template_definition.json");

    assertEquals(4, run("lint", template.toString(), FLOWCRON.resolve("FlowCron-template_input_schema.json")
        .toString()));

    assertTrue(out.toString().startsWith(template + ":253:22: error FW001 (root): not valid JSON: Unrecognized"
        + " token 'FLOW_WAIT_MIN'"), out.toString());
    assertFalse(err.toString().contains("Exception"), err.toString());
  }

  @Test
  void jsonOutputIsOneDocumentWithEveryFinding() throws Exception {
    assertEquals(4, run("lint", "--json", FRIB.resolve("transfer_compute/definition.json").toString(),
        FRIB.resolve("transfer_compute/schema.json").toString()));

    JsonNode doc = new ObjectMapper().readTree(out.toString());
    assertEquals(16, doc.get("errors").asInt());
    assertEquals(24, doc.get("warnings").asInt());
    JsonNode first = doc.get("findings").get(0);
    assertEquals("FW301", first.get("id").asText());
    assertEquals("error", first.get("severity").asText());
    assertEquals(8, first.get("line").asInt());
    assertEquals("/States/LookupRawTransferPath/ActionUrl", first.get("pointer").asText());
    assertFalse(doc.has("globus"));
  }

  @Test
  void aMissingFileIsAConfigError() {
    assertEquals(3, run("lint", dir.resolve("nope.json").toString()));

    assertTrue(err.toString().contains("nope.json: the flow definition file does not exist"), err.toString());
  }

  @Test
  void withoutArgumentsOrConfigItSaysWhatToGive() {
    assertEquals(3, run("lint", "--config", dir.resolve("flowwatch.yaml").toString()));

    assertTrue(err.toString().contains("config file not found"), err.toString());
  }

  @Test
  void serverValidateWithoutCredentialsNotesItAndKeepsOurVerdict() {
    assertEquals(4, run("lint", "--server-validate", FRIB.resolve("transfer/definition.json").toString(),
        FRIB.resolve("transfer/schema.json").toString()));

    assertTrue(err.toString().contains("--server-validate needs Globus credentials"), err.toString());
    assertTrue(err.toString().endsWith("lint: 1 error, 2 warnings\n"), err.toString());
  }

  @Test
  void aDefinitionAloneIsCheckedAgainstTheConfigsSchemaAndSaysSo() {
    Path config = DeployFixture.copyInto(dir);

    assertEquals(4, run("--config", config.toString(), "lint", FRIB.resolve("transfer/definition.json").toString()));

    assertTrue(err.toString().contains("note: checking against the input schema of " + config), err.toString());
    assertTrue(out.toString().contains("error FW202"), out.toString());
  }
}
