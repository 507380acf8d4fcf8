package org.flowwatch.watch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.flowwatch.config.Config;
import org.flowwatch.config.ConfigException;
import org.flowwatch.config.ConfigLoader;
import org.flowwatch.globus.flows.FlowTarget;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunLauncherTest {
  private final Config frib = new ConfigLoader(Map.of()).load(Path.of("flowwatch.yaml"));

  @Test
  void startScopeCarriesTransferAndEachMappedCollectionsDataAccess() {
    assertEquals("https://auth.globus.org/scopes/babd88e5-d31d-48c7-b3a0-b765389b5c22/"
        + "flow_babd88e5_d31d_48c7_b3a0_b765389b5c22_user[urn:globus:auth:scope:transfer.api.globus.org:all["
        + "*https://auth.globus.org/scopes/9656eff2-8105-445c-8501-154dfe1d88e5/data_access "
        + "*https://auth.globus.org/scopes/9d6d994a-6d04-11e5-ba46-22000b92c6ec/data_access]]",
        FlowTarget.of(frib).startScope());
  }

  @Test
  void preparesTheBundledExampleAsAValidDocument() {
    Config relocated = new ConfigLoader(Map.of("FRIB_DTN_ROOT", Path.of("examples/sci-dtn").toAbsolutePath()
        .toString())).load(Path.of("flowwatch.yaml"));
    var doc = new RunLauncher(relocated, Map.of()).prepare(Path.of("examples/sci-dtn/e21062_2/rawdata/run1217"));
    assertTrue(doc.isValid(), doc.report().format());
    assertEquals("FRIB-NERSC Analysis Pipeline Run 1217", doc.label());
  }

  @Test
  void runsBelowOneThousandGetTheZeroPaddedResultNameTheAnalyzeJobWrites(@TempDir Path dtn) throws Exception {
    Path run = Files.createDirectories(dtn.resolve("e21062_2/rawdata/run42"));
    Files.writeString(run.resolve("run-0042-00.evt"), "x");
    Config relocated = new ConfigLoader(Map.of("FRIB_DTN_ROOT", dtn.toString())).load(Path.of("flowwatch.yaml"));
    var doc = new RunLauncher(relocated, Map.of()).prepare(run);
    assertEquals("/global/cfs/cdirs/m4386/e21062_flows/analyzed/run-0042-sorted.root",
        doc.body().path("pipeline_output").path("source").path("path").asText());
    assertEquals("/mnt/sci-dtn/e21062_2/nersc_analysis/run-0042-sorted.root",
        doc.body().path("pipeline_output").path("destination").path("path").asText());
  }

  @Test
  void aFlowWithoutIdCannotBeStarted() {
    Config noId = new Config(frib.file(), frib.collections(),
        new org.flowwatch.config.FlowConfig(null, null, frib.flow().schema(), null, "{run.name}", null, null, null,
            null),
        frib.runDirectory(), frib.vars(), frib.input(), frib.auth());
    assertTrue(assertThrows(ConfigException.class, () -> FlowTarget.of(noId)).getMessage()
        .contains("flow.id is not set"));
  }
}
