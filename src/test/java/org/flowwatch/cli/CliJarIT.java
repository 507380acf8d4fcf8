package org.flowwatch.cli;

import org.flowwatch.testing.ConfigFiles;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Black-box tests of the packaged jar: what a user types, what they see, and the exit code. */
class CliJarIT {
  private static final Path REPO = Path.of("").toAbsolutePath();
  private static final Path FRIB_EXAMPLE = REPO.resolve(
      "src/test/resources/realdata/aschester-e21062-Globus-Flows/reconstructed/example_input_run1217.json");

  @TempDir Path dir;
  private Path dtn;
  private Path run1217;

  @BeforeEach
  void createDtn() throws IOException {
    dtn = dir.resolve("mnt/cephfs/sci-dtn");
    run1217 = Files.createDirectories(dtn.resolve("e21062_2/rawdata/run1217"));
    for (String seg : new String[] {"00", "01", "02"}) {
      Files.writeString(run1217.resolve("run-1217-" + seg + ".evt"), "segment " + seg);
    }
    ConfigFiles.copyReferencedFiles(dir);
  }

  private JarRunner jar() {
    return new JarRunner(dir).env("FRIB_DTN_ROOT", dtn.toString());
  }

  @Test
  void helpDescribesTheCommand() throws Exception {
    JarRunner.Result r = jar().run("--help");
    assertEquals(0, r.code());
    assertTrue(r.out().contains("Usage: flowwatch"), r.out());
    assertTrue(r.out().contains("--rundir=DIR"), r.out());
    assertTrue(r.out().contains("--dry-run"), r.out());
  }

  @Test
  void versionIsPrinted() throws Exception {
    JarRunner.Result r = jar().run("--version");
    assertEquals(0, r.code());
    assertTrue(r.out().startsWith("flowwatch 0."), r.out());
  }

  @Test
  void fribDryRunPrintsExactlyTheDocumentFribsScriptBuilt() throws Exception {
    JarRunner.Result r = jar().run("--config", REPO.resolve("flowwatch.yaml").toString(),
        "--dry-run", "--rundir", run1217.toString()).assertNoStackTrace();

    assertEquals(0, r.code(), r.err());
    assertEquals(Files.readString(FRIB_EXAMPLE) + "\n", r.out());
    assertTrue(r.err().contains("label: FRIB-NERSC Analysis Pipeline Run 1217"), r.err());
    assertTrue(r.err().contains("tags: Transfer, Compute, FRIB"), r.err());
    assertTrue(r.err().contains("valid: the input document matches"), r.err());
  }

  @Test
  void bundledExampleDryRunsFromTheReadme() throws Exception {
    JarRunner.Result r = new JarRunner(REPO).env("FRIB_DTN_ROOT", REPO.resolve("examples/sci-dtn").toString())
        .run("--dry-run", "--rundir", "examples/sci-dtn/e21062_2/rawdata/run1217").assertNoStackTrace();
    assertEquals(0, r.code(), r.err());
    assertEquals(Files.readString(FRIB_EXAMPLE) + "\n", r.out());
  }

  static Stream<Arguments> badInputs() {
    String frib = "FRIB";
    return Stream.of(
        // name, config edit (from -> to), extra args, expected code, expected text in stderr
        Arguments.of("missing config file", null, null, "--config=nope.yaml", 3, "nope.yaml: config file not found"),
        Arguments.of("invalid yaml", "flow:\n", "flow: [\n", "", 3, "this is not valid YAML"),
        Arguments.of("unknown key", "  title:", "  titel:", "", 3,
            "flow.titel: unknown key (did you mean 'title'?)"),
        Arguments.of("wrong type", "tags: [Transfer, Compute, FRIB]", "tags: {a: 1}", "", 3,
            "flow.tags: expected a list of strings, got a mapping"),
        Arguments.of("missing required key", "  schema: schemas/transfer_compute.json\n", "", "", 3,
            "flow: missing required key 'schema'"),
        Arguments.of("bad regex", "'run(?<number>\\d+)'", "'run(?<number>\\d+'", "", 3,
            "run_directory.pattern: 'run(?<number>\\d+' is not a valid regular expression"),
        Arguments.of("schema file missing", "schemas/transfer_compute.json", "schemas/gone.json", "", 3,
            "flow.schema: cannot read file"),
        Arguments.of("unset environment variable", "/global/cfs/cdirs/m4386/e21062_flows", "${NERSC_TOP}", "", 3,
            "environment variable NERSC_TOP is not set"),
        Arguments.of("bad collection uuid", "9d6d994a-6d04-11e5-ba46-22000b92c6ec", "nersc", "", 3,
            "collections.nersc_dtn.id: expected a UUID"),
        Arguments.of("bad principal", "# run_monitors: [urn:globus:groups:id:<group uuid>]",
            "run_monitors: [admins]", "", 3, "flow.run_monitors[0]: expected a principal URN"),
        Arguments.of("unknown fact", "{run.name}\"\n  fit:", "{run.nmae}\"\n  fit:", "", 3,
            "Unknown fact {run.nmae} in the input template at /fit_dir/path. Did you mean {run.name}?"),
        Arguments.of("bad format", "run-{run.number:%04d}-sorted.root\"\n    destination",
            "run-{run.name:%04d}-sorted.root\"\n    destination", "", 3, "%04d"),
        Arguments.of("document breaks the schema", "sync_level: 3\n    notify_on_succeeded: false\n    notify_on_failed: true\n    notify_on_inactive: true\n    recursive_tx: true",
            "sync_level: 9\n    notify_on_succeeded: false\n    notify_on_failed: true\n    notify_on_inactive: true\n    recursive_tx: true",
            "", 4, "/rawdata/sync_level"),
        Arguments.of("several schema violations at once", "fit_endpoint: ff16dcd1-0632-4fdd-8b0c-d239d4f1b889",
            "fit_endpoint: not-a-uuid", "", 4,
            "/fit/kwargs/endpoint_id"),
        Arguments.of("outside every collection", "local_root: ${FRIB_DTN_ROOT:-/mnt/cephfs/sci-dtn}",
            "local_root: /somewhere/else", "", 4, "is outside the local_root of every collection"),
        Arguments.of("bad count glob", "segments: \"*.evt\"", "segments: \"[*.evt\"", "", 3,
            "run_directory.counts.segments"),
        Arguments.of("usage: --wait with --dry-run", null, null, "--wait", 2,
            "--wait follows a started run, and --dry-run starts none"),
        Arguments.of("usage: unknown option", null, null, "--dryrun", 2, "Unknown option: '--dryrun'"),
        Arguments.of(frib + " schema is not JSON", null, null, "", 3, "not valid JSON"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badInputs")
  void badInputGivesOneClearMessageAndItsExitCode(String name, String from, String to, String extra, int code,
      String expected) throws Exception {
    Path config = dir.resolve("flowwatch.yaml");
    String yaml = Files.readString(REPO.resolve("flowwatch.yaml"));
    if (from != null) {
      assertTrue(yaml.contains(from), "test setup: config has no '" + from + "'");
      yaml = yaml.replace(from, to);
    }
    Files.writeString(config, yaml);
    if (name.endsWith("schema is not JSON")) {
      Files.writeString(dir.resolve("schemas/transfer_compute.json"), "{\"type\": \"object\",,}");
    }
    String[] args = extra.isEmpty()
        ? new String[] {"--dry-run", "--rundir", run1217.toString()}
        : new String[] {"--dry-run", "--rundir", run1217.toString(), extra};
    JarRunner.Result r = jar().run(args).assertNoStackTrace();

    assertEquals(code, r.code(), r.err());
    assertTrue(r.err().contains(expected), "stderr lacks '" + expected + "':\n" + r.err());
    assertTrue(r.err().startsWith("flowwatch: ") || code == 4, r.err());
  }

  @Test
  void runDirectoryThatDoesNotExistIsReported() throws Exception {
    Files.copy(REPO.resolve("flowwatch.yaml"), dir.resolve("flowwatch.yaml"));
    JarRunner.Result r = jar().run("--dry-run", "--rundir", dtn.resolve("run9999").toString()).assertNoStackTrace();
    assertEquals(4, r.code());
    assertTrue(r.err().contains("run9999"), r.err());
  }

  @Test
  void runDirectoryThatIsAFileIsReported() throws Exception {
    Files.copy(REPO.resolve("flowwatch.yaml"), dir.resolve("flowwatch.yaml"));
    Path file = Files.writeString(dtn.resolve("run7"), "x");
    JarRunner.Result r = jar().run("--dry-run", "--rundir", file.toString()).assertNoStackTrace();
    assertEquals(4, r.code());
    assertTrue(r.err().contains("not a directory"), r.err());
  }

  @Test
  void dryRunLintsTheConfiguredFlowDefinition() throws Exception {
    Path definition = REPO.resolve(
        "src/test/resources/realdata/aschester-e21062-Globus-Flows/transfer_compute/definition.json");
    Files.writeString(dir.resolve("flowwatch.yaml"), Files.readString(REPO.resolve("flowwatch.yaml"))
        .replace("  definition: flows/transfer_compute.json", "  definition: " + definition));
    JarRunner.Result r = jar().run("--dry-run", "--rundir", run1217.toString()).assertNoStackTrace();

    assertEquals(4, r.code(), r.err());
    assertEquals(Files.readString(FRIB_EXAMPLE) + "\n", r.out());
    assertTrue(r.err().contains("error FW301"), r.err());
    assertTrue(r.err().contains("https://transfer.actions.globus.org"), r.err());
  }

  @Test
  void noArgumentsSaysWhatToDo() throws Exception {
    JarRunner.Result r = jar().run().assertNoStackTrace();
    assertEquals(2, r.code());
    assertTrue(r.err().contains("nothing to do: give --watchdir DIR (the agent) or --rundir DIR (one run)"), r.err());
  }
}
