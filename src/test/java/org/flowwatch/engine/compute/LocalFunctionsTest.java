package org.flowwatch.engine.compute;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.flowwatch.config.ComputeConfig;
import org.junit.jupiter.api.Test;

class LocalFunctionsTest {
  private static final UUID FIT_EP = UUID.fromString("ff16dcd1-0632-4fdd-8b0c-d239d4f1b889");
  private static final UUID CONVERT_EP = UUID.fromString("f4d90d3e-ed80-4aae-b0de-62fdbe2a0739");
  private static final UUID FIT = UUID.fromString("42e3e64f-4d1e-4681-9a3e-cc9533d7933e");
  private static final Path PIPELINE = Path.of("/opt/flowwatch/src/main/python/pipeline.py");
  private static final ComputeConfig COMPUTE = new ComputeConfig(
      Map.of("fit", new ComputeConfig.Endpoint("fit", FIT_EP, "frib-fit-mpi"),
          "convert", new ComputeConfig.Endpoint("convert", CONVERT_EP, null)),
      Map.of("fit", new ComputeConfig.Function("fit", PIPELINE, "fit", FIT, "fit"),
          "convert", new ComputeConfig.Function("convert", PIPELINE, "convert", null, "convert")));

  @Test
  void registeredFunctionsAreFoundByTheirIds() {
    assertEquals(Map.of(FIT.toString(), new LocalFunction(PIPELINE, "fit")), LocalFunctions.from(COMPUTE));
  }

  @Test
  void endpointsGetTheLauncherOfTheirKeyOrTheDefault() {
    Launcher sbatch = new Launcher(Launcher.Kind.SBATCH, List.of("--partition=debug"), Map.of());

    Map<String, Launcher> launchers = LocalFunctions.launchers(COMPUTE, Map.of("fit", sbatch), Launcher.DIRECT);

    assertEquals(Map.of(FIT_EP.toString(), sbatch, CONVERT_EP.toString(), Launcher.DIRECT), launchers);
  }
}
