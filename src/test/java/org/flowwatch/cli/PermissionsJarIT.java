package org.flowwatch.cli;

import static org.flowwatch.cli.AgentHarness.ONE_FILE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.flowwatch.testing.FakeFlows;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 9, item 8: under the most permissive umask (000), everything flowwatch writes in the state and
 * log directories is its owner's alone: directories 0700, files 0600. Modes are read, not access tried:
 * the tests run as root, for whom no mode denies anything.
 */
class PermissionsJarIT {
  static final FakeFlows fake = new FakeFlows();

  @RegisterExtension static WireMockExtension globus = FakeFlows.extension(fake);

  @TempDir Path tmp;
  private AgentHarness h;

  @BeforeEach
  void setUp() throws Exception {
    fake.reset();
    fake.install(globus);
    h = new AgentHarness(tmp, globus.baseUrl());
  }

  @AfterEach
  void tearDown() throws InterruptedException {
    h.close();
  }

  @Test
  void everyFileTheAgentWritesIsOwnerOnlyWhateverTheUmask() throws Exception {
    fake.status("ACTIVE");
    h.config(ONE_FILE);
    h.rsync(h.source("run0001", 1, 4));
    Path logs = h.dir.resolve("logs");
    String[] args = {"--config", h.config.toString(), "--watchdir", h.watch.toString(), "--state-dir",
        h.state.toString(), "--log-dir", logs.toString(), "--once", "--start-grace=PT1S"};

    JarRunner.Result pass = h.jar().umask("000").run(args).assertNoStackTrace();

    assertEquals(0, pass.code(), pass.err());
    assertEquals(1, fake.startRequests(), pass.err());
    Map<String, String> modes = modes(h.state, logs);
    assertTrue(modes.keySet().stream().anyMatch(f -> f.endsWith("ledger.db")), modes.toString());
    assertTrue(modes.keySet().stream().anyMatch(f -> f.endsWith("agent.lock")), modes.toString());
    assertTrue(modes.keySet().stream().anyMatch(f -> f.contains("logs/flowwatch-")), modes.toString());
    modes.forEach((file, mode) -> assertEquals(file.endsWith("/") ? "rwx------" : "rw-------", mode,
        file + " under umask 000; all modes: " + modes));
  }

  /** The mode of each directory (with a trailing slash) and file under ROOTS, the roots included. */
  private static Map<String, String> modes(Path... roots) throws IOException {
    Map<String, String> modes = new TreeMap<>();
    for (Path root : roots) {
      try (Stream<Path> all = Files.walk(root)) {
        for (Path p : (Iterable<Path>) all::iterator) {
          String name = p + (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) ? "/" : "");
          modes.put(name, PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS)));
        }
      }
    }
    return modes;
  }
}
