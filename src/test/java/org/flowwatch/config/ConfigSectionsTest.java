package org.flowwatch.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The watch, compute and deploy sections of the config. */
class ConfigSectionsTest {
  private static final String BASE = """
      flow:
        schema: schema.json
        flow_viewers: [public]
        flow_starters: [all_authenticated_users, urn:globus:auth:identity:7c1f0d2a-1111-4222-8333-944455556666]
        keywords: [FRIB, NERSC]
        subtitle: Fit, convert, sort
      run_directory:
        pattern: 'run(?<number>\\d+)'
      input: {}
      """;

  @TempDir Path dir;
  private Path config;

  @BeforeEach
  void files() throws IOException {
    Files.writeString(dir.resolve("schema.json"), "{}");
    Files.writeString(dir.resolve("fit.py"), "def fit(): pass\n");
    config = dir.resolve("flowwatch.yaml");
  }

  private Config load(String extra) throws IOException {
    Files.writeString(config, BASE + extra);
    return new ConfigLoader(Map.of()).load(config);
  }

  private String failure(String extra) throws IOException {
    Files.writeString(config, BASE + extra);
    return assertThrows(ConfigException.class, () -> new ConfigLoader(Map.of()).load(config)).getMessage();
  }

  @Test
  void theEngineIsGlobusUnlessTheConfigSaysLocal() throws IOException {
    assertEquals(Engine.GLOBUS, load("").engine());
    assertEquals(Engine.LOCAL, load("engine: local\n").engine());
    assertEquals(Engine.GLOBUS, load("engine: globus\n").engine());
    assertTrue(failure("engine: cloud\n").contains(
        "engine: expected globus (the Flows service) or local (this machine's flow engine), got 'cloud'"),
        failure("engine: cloud\n"));
  }

  @Test
  void watchDefaultsToSettlingForThirtySeconds() throws IOException {
    WatchConfig w = load("").watch();
    assertEquals(List.of("settle"), w.readiness());
    assertEquals(Duration.ofSeconds(30), w.triggerDelay());
  }

  @Test
  void watchReadsEveryKey() throws IOException {
    WatchConfig w = load("""
        watch:
          readiness: [settle, sentinel, manifest]
          trigger_delay: 2m
          scan_interval: 500ms
          sentinel: .transfer_complete
          manifest: {glob: "*.evt", count: 3}
          max_active_runs: 4
          max_starts_per_minute: 6
        """).watch();
    assertEquals(Duration.ofMinutes(2), w.triggerDelay());
    assertEquals(Duration.ofMillis(500), w.scanInterval());
    assertEquals(".transfer_complete", w.sentinel());
    assertEquals("*.evt", w.manifestGlob());
    assertEquals(3, w.manifestCount());
    assertEquals(4, w.maxActiveRuns());
    assertEquals(6, w.maxStartsPerMinute());
    assertTrue(w.uses("manifest"));
  }

  @Test
  void sentinelPolicyNeedsASentinelName() throws IOException {
    assertTrue(failure("watch:\n  readiness: [sentinel]\n").contains("set watch.sentinel"));
  }

  @Test
  void unknownPolicyAndBadDurationAreReported() throws IOException {
    assertTrue(failure("watch:\n  readiness: [settled]\n").contains("watch.readiness[0]: unknown readiness policy"));
    assertTrue(failure("watch:\n  trigger_delay: soon\n").contains("watch.trigger_delay: expected a duration"));
    assertTrue(failure("watch:\n  max_active_runs: 0\n").contains("watch.max_active_runs: must be at least 1"));
  }

  @Test
  void flowDeployMetadataIsRead() throws IOException {
    FlowConfig f = load("").flow();
    assertEquals(List.of("public"), f.flowViewers());
    assertEquals("all_authenticated_users", f.flowStarters().get(0));
    assertEquals(List.of("FRIB", "NERSC"), f.keywords());
    assertEquals("Fit, convert, sort", f.subtitle());
  }

  @Test
  void computeEndpointsAndFunctionsAreRead() throws IOException {
    ComputeConfig c = load("""
        compute:
          endpoints:
            fit: {id: ff16dcd1-0632-4fdd-8b0c-d239d4f1b889, name: frib-fit-mpi}
          functions:
            fit: {source: fit.py, function: fit, endpoint: fit}
        """).compute();
    assertEquals("frib-fit-mpi", c.endpoints().get("fit").name());
    assertEquals(dir.resolve("fit.py"), c.functions().get("fit").source());
    assertNull(c.functions().get("fit").id());
  }

  @Test
  void functionOnAnUnknownEndpointIsReported() throws IOException {
    assertTrue(failure("""
        compute:
          functions:
            fit: {source: fit.py, function: fit, endpoint: nope}
        """).contains("compute.functions.fit.endpoint: no endpoint 'nope'"));
  }

  @Test
  void durationsAcceptCommonForms() {
    assertEquals(Duration.ofSeconds(30), Durations.parse("30"));
    assertEquals(Duration.ofMillis(1500), Durations.parse("1.5s"));
    assertEquals(Duration.ofHours(1), Durations.parse("1h"));
    assertEquals(Duration.ofSeconds(45), Durations.parse("PT45S"));
    assertNull(Durations.parse("-5s"));
  }
}
