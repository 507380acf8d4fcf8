package org.flowwatch.input;

import static org.flowwatch.input.TestFiles.FRIB_EXAMPLE;
import static org.flowwatch.input.TestFiles.FRIB_SCHEMA;
import static org.flowwatch.input.TestFiles.json;
import static org.flowwatch.input.TestFiles.path;
import static org.flowwatch.input.TestFiles.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.flowwatch.config.Config;
import org.flowwatch.run.ConfigFixture;
import org.flowwatch.run.RunFacts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * flowwatch, configured like FRIB e21062, builds exactly the input FRIB's transfer_compute_mpi.py sent
 * for run1217. The template and vars live in src/test/resources/frib/ for the YAML config to mirror.
 */
class FribInputParityTest {

  @Test
  void buildsTheFribRun1217InputByteForByte(@TempDir Path tmp) throws IOException {
    Path cephRoot = Files.createDirectories(tmp.resolve("mnt/cephfs/sci-dtn"));
    Path run = Files.createDirectories(cephRoot.resolve("e21062_2/rawdata/run1217"));
    for (String segment : List.of("run-1217-00.evt", "run-1217-01.evt", "run-1217-02.evt")) {
      Files.write(run.resolve(segment), new byte[100]);
    }
    Config config = fribConfig(cephRoot);
    RunFacts facts = RunFacts.collect(run, config);

    InputDocument input = new InputDocumentBuilder(config, Map.of()).build(facts);

    assertEquals(text(FRIB_EXAMPLE), JsonOutput.pretty(input.body()));
    assertTrue(input.isValid(), input.report()::toString);
    assertEquals("FRIB-NERSC Analysis Pipeline Run 1217", input.label());
    assertEquals(List.of("Transfer", "Compute", "FRIB"), input.tags());
    assertEquals(3L, facts.values().get("run.segments"));
  }

  static Config fribConfig(Path cephRoot) {
    Map<String, JsonNode> vars = new LinkedHashMap<>();
    json("/frib/vars.json").properties().forEach(e -> vars.put(e.getKey(), e.getValue()));
    return ConfigFixture.config()
        .collection("frib", "9656eff2-8105-445c-8501-154dfe1d88e5", cephRoot, "/mnt/sci-dtn")
        .collection("nersc", "9d6d994a-6d04-11e5-ba46-22000b92c6ec", null, null)
        .pattern("run(?<number>\\d+)")
        .count("segments", "*.evt")
        .vars(vars)
        .input(json("/frib/input-template.json"))
        .flow("babd88e5-d31d-48c7-b3a0-b765389b5c22", "FRIB-NERSC-Analysis-Pipeline")
        .schema(path(FRIB_SCHEMA))
        .label("FRIB-NERSC Analysis Pipeline Run {run.number}")
        .tags("Transfer", "Compute", "FRIB")
        .build();
  }
}
