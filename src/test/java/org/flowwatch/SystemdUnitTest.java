package org.flowwatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** src/dist/flowwatch@.service: what it promises, and systemd's own verdict where systemd-analyze exists. */
class SystemdUnitTest {
  private static final Path UNIT = Path.of("src/dist/flowwatch@.service");
  private static final Path ANALYZE = Path.of("/usr/bin/systemd-analyze");

  @TempDir Path dir;

  /** Key to values, every section together; continuation lines joined. */
  private static Map<String, List<String>> directives(String text) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    String joined = text.replace("\\\n", " ");
    for (String line : joined.split("\n")) {
      String l = line.strip();
      if (l.isEmpty() || l.startsWith("#") || l.startsWith("[")) {
        continue;
      }
      int eq = l.indexOf('=');
      out.computeIfAbsent(l.substring(0, eq), k -> new ArrayList<>()).add(l.substring(eq + 1).strip());
    }
    return out;
  }

  @Test
  void theInstanceNamesTheConfigAndNoPathOfOneFacilityIsBuiltIn() throws IOException {
    String text = Files.readString(UNIT);
    Map<String, List<String>> d = directives(text);
    String exec = d.get("ExecStart").get(0).replaceAll("\\s+", " ");
    assertEquals("/opt/flowwatch/flowwatch --config /etc/flowwatch/%i.yaml --watchdir ${FLOWWATCH_WATCHDIR}"
        + " --state-dir ${STATE_DIRECTORY} --log-dir ${LOGS_DIRECTORY}", exec);
    assertEquals(List.of("/etc/flowwatch/%i.env"), d.get("EnvironmentFile"));
    assertEquals(List.of("flowwatch/%i"), d.get("StateDirectory"));
    assertEquals(List.of("flowwatch/%i"), d.get("LogsDirectory"));
    for (String frib : List.of("cephfs", "e21062_2", "rawdata", "sci-dtn")) {
      assertFalse(String.join("\n", text.lines().filter(l -> !l.startsWith("#")).toList()).contains(frib),
          "the unit hard-codes " + frib);
    }
  }

  @Test
  void reloadsOnHangUpRestartsOnFailureAndIsSandboxed() throws IOException {
    Map<String, List<String>> d = directives(Files.readString(UNIT));
    assertEquals(List.of("/bin/kill -HUP $MAINPID"), d.get("ExecReload"));
    assertEquals(List.of("on-failure"), d.get("Restart"));
    assertEquals(List.of("strict"), d.get("ProtectSystem"));
    assertEquals(List.of("/run/lock/flowwatch"), d.get("ReadWritePaths"));
    assertEquals(List.of("yes"), d.get("NoNewPrivileges"));
    assertEquals(List.of("yes"), d.get("PrivateTmp"));
    assertEquals(List.of("read-only"), d.get("ProtectHome"));
    assertEquals(List.of("0077"), d.get("UMask"));
    assertFalse(d.containsKey("MemoryDenyWriteExecute"), "the JVM's compiler needs writable code");
    assertFalse(String.join(" ", d.get("ExecStart")).contains("SECRET"), "a secret on the command line");
  }

  @Test
  void systemdFindsNothingWrongWithTheUnit() throws Exception {
    assumeTrue(Files.isExecutable(ANALYZE), "systemd-analyze is not installed (Debian package systemd)");
    List<String> findings = verify(Files.readString(UNIT));
    assertEquals(List.of(), findings);
  }

  @Test
  void theVerificationCanFail() throws Exception {
    assumeTrue(Files.isExecutable(ANALYZE), "systemd-analyze is not installed (Debian package systemd)");
    String broken = Files.readString(UNIT).replace("ProtectSystem=strict", "ProtectSystem=stricter")
        .replace("NoNewPrivileges=yes", "NoNewPrivilege=yes");
    List<String> findings = verify(broken);
    assertEquals(2, findings.size(), findings.toString());
    assertTrue(findings.get(0).contains("protect system value"), findings.toString());
    assertTrue(findings.get(1).contains("Unknown key 'NoNewPrivilege'"), findings.toString());
  }

  /**
   * Runs {@code systemd-analyze verify} on an instance of the unit. It insists that ExecStart's program
   * exists, so the launcher's path alone points at a stand-in; every other line is checked as shipped.
   * It exits 0 even for unknown keys and bad values, so every line it prints is a finding.
   */
  private List<String> verify(String unit) throws Exception {
    Path launcher = dir.resolve("flowwatch");
    Files.writeString(launcher, "#!/bin/sh\n");
    Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwx------"));
    Path units = Files.createDirectories(dir.resolve("units"));
    Files.writeString(units.resolve("flowwatch@.service"), unit.replace("/opt/flowwatch/flowwatch", launcher.toString()));
    Process p = new ProcessBuilder(ANALYZE.toString(), "verify", units.resolve("flowwatch@e21062.service").toString())
        .directory(units.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "systemd-analyze did not finish");
    List<String> findings = new ArrayList<>(out.lines().filter(l -> !l.isBlank()).toList());
    if (p.exitValue() != 0 && findings.isEmpty()) {
      findings.add("systemd-analyze exited " + p.exitValue());
    }
    return findings;
  }
}
