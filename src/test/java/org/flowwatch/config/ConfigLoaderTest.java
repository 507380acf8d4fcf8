package org.flowwatch.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  @TempDir Path dir;
  private Path config;

  private static final String VALID = """
      collections:
        dtn:
          id: 9656eff2-8105-445c-8501-154dfe1d88e5
          local_root: /mnt/cephfs/sci-dtn
          globus_root: /mnt/sci-dtn
        nersc:
          id: 9d6d994a-6d04-11e5-ba46-22000b92c6ec
          data_access: false
      flow:
        id: babd88e5-d31d-48c7-b3a0-b765389b5c22
        schema: schema.json
        title: Pipeline
        label: "Run {run.number}"
        tags: [Transfer, "${SITE:-FRIB}"]
        run_monitors: [urn:globus:groups:id:a936c054-0000-4000-8000-000000000000]
      run_directory:
        pattern: 'run(?<number>\\d+)'
        counts:
          segments: "*.evt"
      vars:
        top: ${TOP}
      input:
        source: {id: "{collections.dtn.id}", path: "{run.globus_path}"}
        user: ${USER_NAME:-nobody}
      """;

  @BeforeEach
  void writeSchema() throws IOException {
    Files.writeString(dir.resolve("schema.json"), "{}");
    config = dir.resolve("flowwatch.yaml");
  }

  private Config load(String yaml, Map<String, String> env) throws IOException {
    Files.writeString(config, yaml);
    return new ConfigLoader(env).load(config);
  }

  private String failure(String yaml) throws IOException {
    Files.writeString(config, yaml);
    return assertThrows(ConfigException.class, () -> new ConfigLoader(Map.of("TOP", "/t")).load(config))
        .getMessage();
  }

  @Test
  void loadsEveryKeyIntoRecords() throws IOException {
    Config c = load(VALID, Map.of("TOP", "/global/cfs"));

    assertEquals(List.of("dtn", "nersc"), List.copyOf(c.collections().keySet()));
    CollectionConfig dtn = c.collections().get("dtn");
    assertEquals(UUID.fromString("9656eff2-8105-445c-8501-154dfe1d88e5"), dtn.id());
    assertEquals(Path.of("/mnt/cephfs/sci-dtn"), dtn.localRoot());
    assertEquals("/mnt/sci-dtn", dtn.globusRoot());
    assertTrue(dtn.dataAccess());
    assertNull(c.collections().get("nersc").localRoot());
    assertEquals(dir.resolve("schema.json"), c.flow().schema());
    assertEquals(List.of("Transfer", "FRIB"), c.flow().tags());
    assertEquals("Run {run.number}", c.flow().label());
    assertTrue(c.runDirectory().matches("run1217"));
    assertEquals(Map.of("segments", "*.evt"), c.runDirectory().counts());
    assertEquals("/global/cfs", c.vars().get("top").asText());
    assertEquals("nobody", c.input().get("user").asText());
    assertEquals("{run.globus_path}", c.input().get("source").get("path").asText());
  }

  @Test
  void mapsLocalPathsIntoTheCollection() throws IOException {
    Config c = load(VALID, Map.of("TOP", "/t"));
    Path run = Path.of("/mnt/cephfs/sci-dtn/e21062_2/rawdata/run1217");

    assertEquals("/mnt/sci-dtn/e21062_2/rawdata/run1217",
        c.collectionContaining(run).orElseThrow().globusPathOf(run).orElseThrow());
    assertTrue(c.collectionContaining(Path.of("/elsewhere/run1")).isEmpty());
  }

  @Test
  void unknownKeyNamesLineAndSuggestsTheRightOne() throws IOException {
    String msg = failure(VALID.replace("  title: Pipeline", "  titel: Pipeline"));
    assertTrue(msg.startsWith(config + ":12:3: flow.titel: unknown key (did you mean 'title'?)"), msg);
  }

  @Test
  void wrongTypeSaysWhatIsExpected() throws IOException {
    String msg = failure(VALID.replace("tags: [Transfer, \"${SITE:-FRIB}\"]", "tags: Transfer"));
    assertEquals(config + ":14:9: flow.tags: expected a list of strings, got 'Transfer'", msg);
  }

  @Test
  void missingRequiredKeyPointsAtItsParent() throws IOException {
    String msg = failure(VALID.replace("  schema: schema.json\n", ""));
    assertEquals(config + ":9:1: flow: missing required key 'schema'", msg);
  }

  @Test
  void badUuidIsReported() throws IOException {
    String msg = failure(VALID.replace("9d6d994a-6d04-11e5-ba46-22000b92c6ec", "nersc-dtn"));
    assertTrue(msg.startsWith(config + ":7:9: collections.nersc.id: expected a UUID"), msg);
  }

  @Test
  void badRegexIsReportedWithItsProblem() throws IOException {
    String msg = failure(VALID.replace("'run(?<number>\\d+)'", "'run(?<number>\\d+'"));
    assertTrue(msg.startsWith(config + ":17:12: run_directory.pattern: 'run(?<number>\\d+' is not a valid regular"
        + " expression: Unclosed group"), msg);
  }

  @Test
  void missingSchemaFileIsReportedAtItsKey() throws IOException {
    String msg = failure(VALID.replace("schema: schema.json", "schema: nope.json"));
    assertEquals(config + ":11:11: flow.schema: cannot read file " + dir.resolve("nope.json")
        + ": it does not exist", msg);
  }

  @Test
  void unreadableSchemaFileIsReported() throws IOException {
    Path schema = dir.resolve("schema.json");
    Files.setPosixFilePermissions(schema, PosixFilePermissions.fromString("---------"));
    if (Files.isReadable(schema)) {
      return; // running as root: permissions are not enforced, the case cannot happen
    }
    assertTrue(failure(VALID).endsWith("permission denied"));
  }

  @Test
  void unsetVariableWithoutDefaultIsAnError() throws IOException {
    Files.writeString(config, VALID);
    String msg = assertThrows(ConfigException.class, () -> new ConfigLoader(Map.of()).load(config)).getMessage();
    assertEquals(config + ":21:8: vars.top: environment variable TOP is not set; export it, or write"
        + " ${TOP:-default} to give a default", msg);
  }

  @Test
  void dollarDollarIsALiteralDollarAndRegexAnchorsSurvive() throws IOException {
    Config c = load(VALID.replace("'run(?<number>\\d+)'", "'run(?<number>\\d+)$'")
        .replace("user: ${USER_NAME:-nobody}", "user: cost$$5"), Map.of("TOP", "/t"));
    assertEquals("cost$5", c.input().get("user").asText());
    assertTrue(c.runDirectory().matches("run1"));
  }

  @Test
  void duplicateKeyIsAnError() throws IOException {
    String msg = failure(VALID.replace("  title: Pipeline\n", "  title: Pipeline\n  title: Again\n"));
    assertEquals(config + ":13:3: key 'title' appears twice in the same mapping; keep one of them", msg);
  }

  @Test
  void invalidYamlNamesTheLine() throws IOException {
    String msg = failure("flow:\n  id: [unclosed\n  schema: x\n");
    assertEquals(config + ":2:7: this is not valid YAML: the '[' here is not closed; end the list with ']' and"
        + " separate its items with ','", msg);
  }

  @Test
  void anAliasInTheInputTemplateIsRefusedNotReadAsItsName() throws IOException {
    String msg = failure(VALID.replace("  user: ${USER_NAME:-nobody}\n", "  user: &who nobody\n  owner: *who\n"));
    assertEquals(config + ":" + lineOf(VALID, "  user:") + ":9: YAML anchors and aliases (&x, *x) are not supported, and &who is one; write"
        + " the value out in full where it is used", msg);
  }

  @Test
  void aSecondDocumentIsRefusedAtItsLine() throws IOException {
    String msg = failure(VALID + "---\nflow:\n  id: 00000000-0000-4000-8000-000000000000\n");
    assertTrue(msg.startsWith(config + ":" + (lineOf(VALID + "---", "---")) + ":1: a second YAML document starts here"),
        msg);
  }

  /** The 1-based line on which TEXT first holds PART. */
  private static int lineOf(String text, String part) {
    return (int) text.substring(0, text.indexOf(part)).chars().filter(c -> c == '\n').count() + 1;
  }

  @Test
  void emptyAndMissingFilesAreClear() throws IOException {
    assertTrue(failure("").endsWith("the file is empty; see the configuration reference in README.md"));
    Path missing = dir.resolve("missing.yaml");
    String msg = assertThrows(ConfigException.class, () -> new ConfigLoader(Map.of()).load(missing)).getMessage();
    assertTrue(msg.startsWith(missing + ": config file not found"), msg);
  }

  @Test
  void topLevelMustBeAMapping() throws IOException {
    assertEquals(config + ":1:1: expected a mapping of keys to values, got a list", failure("- a\n- b\n"));
  }

  @Test
  void countNameMayNotShadowABuiltInFact() throws IOException {
    String msg = failure(VALID.replace("segments: \"*.evt\"", "size: \"*.evt\""));
    assertTrue(msg.startsWith(config + ":19:11: run_directory.counts.size: 'size' cannot be a count name"), msg);
  }

  @Test
  void principalsMustBeUrns() throws IOException {
    String msg = failure(VALID.replace("urn:globus:groups:id:a936c054-0000-4000-8000-000000000000", "admins"));
    assertTrue(msg.startsWith(config + ":15:18: flow.run_monitors[0]: expected a principal URN"), msg);
  }

  @Test
  void relativeLocalRootIsRejected() throws IOException {
    String msg = failure(VALID.replace("local_root: /mnt/cephfs/sci-dtn", "local_root: mnt/cephfs"));
    assertTrue(msg.contains("collections.dtn.local_root: expected an absolute path"), msg);
  }
}
