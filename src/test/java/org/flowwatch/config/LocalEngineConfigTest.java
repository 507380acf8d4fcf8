package org.flowwatch.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local_engine section: what each key becomes, and one message per mistake, at its line. */
class LocalEngineConfigTest {
  @TempDir Path dir;
  private Path config;

  private static final String BASE = """
      collections:
        dtn: {id: 9656eff2-8105-445c-8501-154dfe1d88e5, local_root: /mnt/cephfs/sci-dtn, globus_root: /mnt/sci-dtn}
        nersc: {id: 9d6d994a-6d04-11e5-ba46-22000b92c6ec}
      flow: {schema: schema.json}
      run_directory: {pattern: 'run\\d+'}
      input: {a: 1}
      compute:
        endpoints:
          fit: {id: ff16dcd1-0632-4fdd-8b0c-d239d4f1b889}
          analyze: {id: 5080ade8-846b-4964-88a1-2c602d5d38f4}
      """;

  @BeforeEach
  void writeSchema() throws IOException {
    Files.writeString(dir.resolve("schema.json"), "{}");
    config = dir.resolve("flowwatch.yaml");
  }

  private LocalEngineConfig load(String section) throws IOException {
    Files.writeString(config, BASE + section);
    return new ConfigLoader(Map.of("RESULTS", "out")).load(config).localEngine();
  }

  private String failure(String section) throws IOException {
    Files.writeString(config, BASE + section);
    return assertThrows(ConfigException.class, () -> new ConfigLoader(Map.of()).load(config)).getMessage();
  }

  @Test
  void everyKeyIsReadAndPathsAreRelativeToTheConfigFile() throws IOException {
    LocalEngineConfig local = load("""
        local_engine:
          roots:
            nersc: ${RESULTS}/nersc
          environment:
            FLOWWATCH_JOB_DIR: {path: slurm_jobs}
            FW_CONTAINER: none
            FW_DAQ_SETUP: ""
            FLOWWATCH_FIT_MAX_PARALLEL: 2
          launchers:
            fit: sbatch
            analyze:
              launcher: srun
              options: [--partition=debug]
              environment: {FW_ANALYZE_TOOL: {path: tools/betasort}}
          work_dir: work
          python: /usr/bin/python3.11
        """);

    assertEquals(Map.of("nersc", dir.resolve("out/nersc")), local.roots());
    assertEquals(Map.of("FLOWWATCH_JOB_DIR", dir.resolve("slurm_jobs").toString(), "FW_CONTAINER", "none",
        "FW_DAQ_SETUP", "", "FLOWWATCH_FIT_MAX_PARALLEL", "2"), local.environment());
    assertEquals(new LocalEngineConfig.Launcher("sbatch", List.of(), Map.of()), local.launchers().get("fit"));
    assertEquals(new LocalEngineConfig.Launcher("srun", List.of("--partition=debug"),
        Map.of("FW_ANALYZE_TOOL", dir.resolve("tools/betasort").toString())), local.launchers().get("analyze"));
    assertEquals(dir.resolve("work"), local.workDir());
    assertEquals("/usr/bin/python3.11", local.python());
  }

  @Test
  void withoutTheSectionNothingIsMappedAndFunctionsRunWithPython3() throws IOException {
    LocalEngineConfig local = load("");

    assertEquals(Map.of(), local.roots());
    assertEquals(Map.of(), local.launchers());
    assertNull(local.workDir());
    assertEquals("python3", local.python());
  }

  @Test
  void aRootForACollectionTheConfigDoesNotHaveNamesTheOnesItHas() throws IOException {
    String msg = failure("local_engine:\n  roots:\n    nersk: /tmp/n\n");

    assertTrue(msg.startsWith(config + ":13:5: local_engine.roots.nersk: no collection 'nersk' under collections"),
        msg);
    assertTrue(msg.endsWith("collections: dtn, nersc"), msg);
  }

  @Test
  void aLauncherForAnUnknownEndpointNamesTheEndpoints() throws IOException {
    String msg = failure("local_engine:\n  launchers:\n    convert: direct\n");

    assertTrue(msg.contains(":13:5: local_engine.launchers.convert: no endpoint 'convert' under compute.endpoints"),
        msg);
    assertTrue(msg.endsWith("endpoints: fit, analyze"), msg);
  }

  @Test
  void aLauncherKindOtherThanDirectSrunOrSbatchIsRefusedAtItsValue() throws IOException {
    String msg = failure("local_engine:\n  launchers:\n    fit: mpirun\n");

    assertTrue(msg.contains(":13:10: local_engine.launchers.fit: expected direct, srun or sbatch"), msg);
    assertTrue(failure("local_engine:\n  launchers:\n    fit: {options: [-p, debug]}\n")
        .contains("local_engine.launchers.fit: missing required key 'launcher'"));
    assertTrue(failure("local_engine:\n  launchers:\n    fit: {launcher: srun, option: [-p]}\n")
        .contains("local_engine.launchers.fit.option: unknown key (did you mean 'options'?)"));
  }

  @Test
  void anEnvironmentNameTheShellCannotUseIsRefused() throws IOException {
    String msg = failure("local_engine:\n  environment:\n    FW-TOOL: x\n");

    assertTrue(msg.contains(":13:5: local_engine.environment.FW-TOOL: not a usable environment variable name"), msg);
    assertTrue(failure("local_engine:\n  environment:\n    FW_TOOL: {file: x}\n")
        .contains("local_engine.environment.FW_TOOL.file: unknown key"));
  }

  @Test
  void anUnknownKeyInTheSectionSuggestsTheNearestOne() throws IOException {
    String msg = failure("local_engine:\n  root:\n    nersc: /tmp/n\n");

    assertTrue(msg.contains("local_engine.root: unknown key (did you mean 'roots'?)"), msg);
  }

  /** examples/local-engine.yaml is a copy, not an include: it must not drift from the FRIB config it copies. */
  @Test
  void theBundledLocalExampleKeepsTheFribConfigsFlowFunctionsAndInputTemplate() {
    Config frib = new ConfigLoader(Map.of()).load(Path.of("flowwatch.yaml"));
    Config local = new ConfigLoader(Map.of("FLOWWATCH_EXAMPLE_DIR", "/tmp/example"))
        .load(Path.of("examples/local-engine.yaml"));

    assertEquals(frib.input(), local.input());
    assertEquals(frib.flow().definition(), local.flow().definition());
    assertEquals(frib.flow().schema(), local.flow().schema());
    assertEquals(frib.flow().id(), local.flow().id());
    assertEquals(frib.compute(), local.compute());
    assertEquals(frib.runDirectory().pattern().pattern(), local.runDirectory().pattern().pattern());
    assertEquals(frib.collections().get("frib_dtn").globusRoot(), local.collections().get("frib_dtn").globusRoot());
    assertEquals(Path.of("/tmp/example/nersc").toString(), local.collections().get("nersc_dtn").globusRoot(),
        "NERSC's Globus paths are its local paths, so the functions can read what the transfers wrote");
  }
}
