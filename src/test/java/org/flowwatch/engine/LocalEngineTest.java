package org.flowwatch.engine;

import static org.flowwatch.engine.EngineFixture.CONTEXT;
import static org.flowwatch.engine.EngineFixture.json;
import static org.flowwatch.engine.EngineFixture.quotes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.flowwatch.config.Config;
import org.flowwatch.config.ConfigLoader;
import org.flowwatch.flow.JsonDocument;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** LocalEngine from a real config file: where collections land, what wins, and how functions are run. */
class LocalEngineTest {
  private static final String DTN = "9656eff2-8105-445c-8501-154dfe1d88e5";
  private static final String NERSC = "9d6d994a-6d04-11e5-ba46-22000b92c6ec";
  private static final String ENDPOINT = "ff16dcd1-0632-4fdd-8b0c-d239d4f1b889";
  private static final String FUNCTION = "42e3e64f-4d1e-4681-9a3e-cc9533d7933e";

  /** One transfer from the DTN's run directory to NERSC, as the FRIB flow writes it. */
  private static final String COPY = quotes("""
      {'StartAt': 'Copy', 'States': {'Copy': {'Type': 'Action',
        'ActionUrl': 'https://transfer.actions.globus.org/transfer',
        'Parameters': {'source_endpoint': '%s', 'destination_endpoint': '%s',
          'DATA': [{'source_path': '/mnt/sci-dtn/run1217', 'destination_path': '/rawdata/run1217', 'recursive': true}]},
        'ResultPath': '$.Copy', 'WaitTime': 60, 'ExceptionOnActionFailure': true, 'End': true}}}
      """.formatted(DTN, NERSC));

  @TempDir Path tmp;
  private Path ceph;

  @BeforeEach
  void runDirectory() throws IOException {
    ceph = tmp.resolve("cephfs");
    Files.createDirectories(ceph.resolve("run1217"));
    Files.writeString(ceph.resolve("run1217/run-1217-00.evt"), "segment 0");
    Files.writeString(tmp.resolve("schema.json"), "{}");
  }

  private Config config(String localEngine) throws IOException {
    Path file = tmp.resolve("flowwatch.yaml");
    Files.writeString(file, """
        collections:
          dtn: {id: %s, local_root: %s, globus_root: /mnt/sci-dtn}
          nersc: {id: %s}
        flow: {schema: schema.json}
        run_directory: {pattern: 'run\\d+'}
        input: {a: 1}
        compute:
          endpoints:
            fit: {id: %s}
          functions:
            fit: {source: jobs.py, function: where, endpoint: fit, id: %s}
        """.formatted(DTN, ceph, NERSC, ENDPOINT, FUNCTION) + localEngine);
    Files.writeString(tmp.resolve("jobs.py"), "import os\ndef where():\n"
        + "    return {'tool': os.environ.get('FW_FIT_TOOL'), 'site': os.environ.get('FW_SITE')}\n");
    return new ConfigLoader(Map.of()).load(file);
  }

  private static RunResult run(LocalEngine engine, String definition) throws Exception {
    return engine.interpreter(JsonDocument.parse(definition, "test.json")).run(json("{}"), CONTEXT,
        RunListener.NONE);
  }

  @Test
  void aLocalRootCollectionTakesGlobusPathsUnderItsGlobusRootAndARootsEntryHoldsSlash() throws Exception {
    LocalEngine engine = LocalEngine.of(config("local_engine:\n  roots:\n    nersc: nersc-here\n"), Map.of());

    RunResult r = run(engine, COPY);

    assertTrue(r.succeeded(), r::toString);
    assertEquals("segment 0", Files.readString(tmp.resolve("nersc-here/rawdata/run1217/run-1217-00.evt")));
    assertEquals(new LocalCollection(ceph, "/mnt/sci-dtn"), engine.collections().get(DTN));
  }

  @Test
  void aRootOptionWinsOverTheConfigAndMayNameTheCollectionByItsConfigName() throws Exception {
    Path other = Files.createDirectories(tmp.resolve("other"));
    LocalEngine engine = LocalEngine.of(config("local_engine:\n  roots:\n    nersc: nersc-here\n"),
        Map.of("nersc", other));

    assertTrue(run(engine, COPY).succeeded());
    assertTrue(Files.exists(other.resolve("rawdata/run1217/run-1217-00.evt")));
    assertFalse(Files.exists(tmp.resolve("nersc-here")));
  }

  @Test
  void aCollectionMappedNowhereFailsTheActionWithActionUnableToRunSayingHowToMapIt() throws Exception {
    LocalEngine engine = LocalEngine.of(null, Map.of(DTN, ceph));

    RunResult r = run(engine, COPY);

    assertEquals(RunResult.FAILED, r.status());
    assertEquals("ActionUnableToRun", r.error());
    assertTrue(r.cause().contains("collection " + NERSC + " (DATA[0].destination_path) has no local directory"),
        r.cause());
    assertTrue(r.cause().contains("--root " + NERSC + "=DIR"), r.cause());
  }

  @Test
  void withoutAConfigAnIdThatIsNotAUuidIsRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> LocalEngine.of(null, Map.of("nersc", tmp)));
    assertTrue(e.getMessage().startsWith("'nersc' is not a collection id (a UUID"), e.getMessage());
  }

  @Test
  void functionsGetTheSectionsEnvironmentAndTheirEndpointsOwnOverIt() throws Exception {
    LocalEngine engine = LocalEngine.of(config("""
        local_engine:
          environment: {FW_FIT_TOOL: {path: tools/fake.sh}, FW_SITE: laptop}
          launchers:
            fit: {launcher: direct, environment: {FW_SITE: fit-node}}
        """), Map.of());
    String call = quotes("""
        {'StartAt': 'Fit', 'States': {'Fit': {'Type': 'Action', 'ActionUrl': 'https://compute.actions.globus.org/v3',
          'Parameters': {'endpoint_id': '%s', 'tasks': [{'function_id': '%s', 'args': [], 'kwargs': {}}]},
          'ResultPath': '$.Fit', 'WaitTime': 60, 'ExceptionOnActionFailure': true, 'End': true}}}
        """.formatted(ENDPOINT, FUNCTION));

    RunResult r = run(engine, call);

    assertTrue(r.succeeded(), r::toString);
    assertEquals(tmp.resolve("tools/fake.sh").toString(), r.output().at("/Fit/details/result/0/tool").asText());
    assertEquals("fit-node", r.output().at("/Fit/details/result/0/site").asText());
  }
}
