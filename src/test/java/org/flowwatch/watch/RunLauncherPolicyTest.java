package org.flowwatch.watch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.flowwatch.config.Config;
import org.flowwatch.config.ConfigLoader;
import org.flowwatch.globus.flows.StartRun;
import org.flowwatch.input.InputDocument;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** flow.notification_policy goes into every start request the agent builds. */
class RunLauncherPolicyTest {
  @TempDir Path dir;

  private StartRun request(String policyLine) throws Exception {
    Path watch = Files.createDirectories(dir.resolve("watch"));
    Path run = Files.createDirectories(watch.resolve("run0007"));
    Files.writeString(run.resolve("run0007-00.evt"), "segment");
    Files.writeString(dir.resolve("schema.json"), AgentTest.SCHEMA);
    String config = AgentTest.config(watch, "readiness: [settle]").replace("  tags: [test]\n",
        "  tags: [test]\n" + policyLine);
    Files.writeString(dir.resolve("flowwatch.yaml"), config);
    Config cfg = new ConfigLoader(Map.of()).load(dir.resolve("flowwatch.yaml"));
    RunLauncher launcher = new RunLauncher(cfg, Map.of());
    InputDocument doc = launcher.prepare(run);
    assertTrue(doc.isValid(), doc.report().format());
    return launcher.request(doc);
  }

  @Test
  void theConfiguredPolicyIsInTheRequest() throws Exception {
    assertEquals(List.of("FAILED", "INACTIVE"),
        request("  notification_policy: {status: [FAILED, INACTIVE]}\n").notificationPolicy());
  }

  @Test
  void withoutOneTheRequestCarriesNone() throws Exception {
    assertNull(request("").notificationPolicy());
  }
}
