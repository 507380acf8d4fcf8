package org.flowwatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.flowwatch.config.StateLayout;
import org.flowwatch.testing.FakeFlows;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The DTN set-up of issue 8: the data belong to the instrument account, the agents run as a user who may
 * not write there, each with its own state directory. Only the host-wide lock can keep the second agent
 * off; the watch-directory lock of old could not even be created. The agents run as 'nobody' (the tests
 * run as root), through setpriv, so nothing root may do and they may not hides a mistake.
 */
class HostLockJarIT {
  private static final String USER = "nobody";
  private static final String GROUP = "nogroup";
  /** A second unprivileged account, for agents of two users meeting in one lock file. */
  private static final String OTHER_USER = "daemon";
  private static final String OTHER_GROUP = "daemon";

  static final FakeFlows fake = new FakeFlows();

  @RegisterExtension static WireMockExtension globus = FakeFlows.extension(fake);

  @TempDir Path dir;
  private Path jar;
  private Path watch;
  private Path locks;
  private final List<Process> agents = new ArrayList<>();

  @BeforeEach
  void setUp() throws Exception {
    fake.reset();
    fake.install(globus);
    requireUnprivilegedRuns();
    // JUnit makes its temp directory 0700: the unprivileged agents must be able to traverse it.
    mode(dir, 0755);
    jar = Files.copy(Path.of(System.getProperty("flowwatch.jar", "target/flowwatch.jar")).toAbsolutePath(),
        dir.resolve("flowwatch.jar"), StandardCopyOption.REPLACE_EXISTING);
    mode(jar, 0644);

    // Root's data, read-only for everyone: nobody can create a lock file in it.
    watch = Files.createDirectories(dir.resolve("data/e21062"));
    Files.writeString(Files.createDirectories(watch.resolve("run0001")).resolve("run-0001-00.evt"), "x");
    mode(watch.resolve("run0001"), 0755);
    mode(watch.resolve("run0001/run-0001-00.evt"), 0644);
    mode(watch, 0555);

    // Like /run/lock: root's, sticky and world-writable. Here so the test leaves nothing in /run/lock.
    locks = Files.createDirectories(dir.resolve("run-lock"));
    mode(locks, 01777);

    Files.writeString(dir.resolve("schema.json"), "{\"type\": \"object\", \"required\": [\"source\"]}");
    Files.writeString(dir.resolve("flowwatch.yaml"), """
        collections:
          dtn: {id: 9656eff2-8105-445c-8501-154dfe1d88e5, local_root: %s, globus_root: /data}
        flow:
          id: babd88e5-d31d-48c7-b3a0-b765389b5c22
          schema: schema.json
          label: "{run.name}"
        run_directory:
          pattern: 'run(?<number>\\d+)'
        watch:
          readiness: [manifest]
          manifest: {count: 1}
          scan_interval: 200ms
        input:
          source: {id: "{run.collection_id}", path: "{run.globus_path}"}
        """.formatted(watch));
    mode(dir.resolve("schema.json"), 0644);
    mode(dir.resolve("flowwatch.yaml"), 0644);
  }

  @AfterEach
  void stopAgents() throws InterruptedException {
    for (Process p : agents) {
      if (p.isAlive()) {
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  void twoUnprivilegedAgentsWithTheirOwnStateDirectoriesOnAReadOnlyWatchDirectoryStartOneRun() throws Exception {
    secondAgentIsRefused(USER, GROUP);
  }

  @Test
  void anotherUsersAgentOnTheSameWatchDirectoryIsRefusedToo() throws Exception {
    // The first agent's lock file must be lockable by any user: created 0666 whatever the umask.
    secondAgentIsRefused(OTHER_USER, OTHER_GROUP);
  }

  private void secondAgentIsRefused(String secondUser, String secondGroup) throws Exception {
    Path homeA = home("home-a", USER, GROUP);
    Path homeB = home("home-b", secondUser, secondGroup);
    Path logA = dir.resolve("agent-a.log");
    Path logB = dir.resolve("agent-b.log");

    Process first = agent(USER, GROUP, homeA, logA);
    await("the first agent to start run0001", Duration.ofSeconds(30), logA,
        () -> fake.runs().size() == 1 && read(logA).contains("watching"));

    Process second = agent(secondUser, secondGroup, homeB, logB);
    if (!second.waitFor(30, TimeUnit.SECONDS)) {
      second.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      fail("the second agent kept running beside the first; start requests at the service: "
          + fake.startRequests() + "\nits log:\n" + read(logB));
    }
    String refusal = read(logB);
    new JarRunner.Result(second.exitValue(), "", refusal).assertNoStackTrace();
    assertEquals(9, second.exitValue(), refusal);
    assertTrue(refusal.contains("another flowwatch agent already watches " + watch.toRealPath() + " on this host"),
        refusal);
    assertTrue(refusal.contains("pid " + first.pid() + ","), refusal);
    assertTrue(refusal.contains("user " + USER + ","), refusal);
    assertTrue(refusal.contains("state dir " + homeA.resolve("state")), refusal);

    Thread.sleep(1000); // room for a start the second agent should not have made
    assertEquals(1, fake.startRequests(), "start requests at the service\n" + read(logA) + "\n" + refusal);
    assertTrue(first.isAlive(), "the first agent stopped:\n" + read(logA));

    Path lockFile = StateLayout.watchLock(locks, watch.toRealPath());
    assertEquals(USER, Files.getOwner(lockFile).getName());
    assertEquals(0666, mode(lockFile), "the lock file every user must be able to lock");
    assertEquals(0600, mode(homeA.resolve("state/agent.lock")));
    assertEquals(0700, mode(homeA.resolve("state")));
    try (var names = Files.list(watch)) {
      assertEquals(List.of("run0001"), names.map(p -> p.getFileName().toString()).toList());
    }
  }

  /** Fails, never skips, when this machine cannot run the agents as an unprivileged user. */
  private void requireUnprivilegedRuns() throws Exception {
    if (!"root".equals(System.getProperty("user.name"))) {
      fail("this test runs the agents as '" + USER + "' through setpriv, which needs root; it runs as '"
          + System.getProperty("user.name") + "'. Run it as root (as the test suite does in its container)");
    }
    for (String[] account : List.of(new String[] {USER, GROUP}, new String[] {OTHER_USER, OTHER_GROUP})) {
      requireUnprivilegedRun(account[0], account[1]);
    }
  }

  private static void requireUnprivilegedRun(String user, String group) throws Exception {
    List<String> probe = as(user, group, List.of("id", "-un"));
    Process p;
    try {
      p = new ProcessBuilder(probe).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new AssertionError("cannot run " + probe.get(0) + " (util-linux) to drop privileges: " + e.getMessage(), e);
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0 || !out.equals(user)) {
      fail("cannot drop privileges to " + user + ":" + group + " with " + String.join(" ", probe) + ": " + out);
    }
  }

  private static List<String> as(String user, String group, List<String> command) {
    List<String> cmd = new ArrayList<>(List.of("setpriv", "--reuid=" + user, "--regid=" + group, "--clear-groups"));
    cmd.addAll(command);
    return cmd;
  }

  /** A home directory of the unprivileged user, with a temp directory for sqlite's native library. */
  private Path home(String name, String user, String group) throws IOException {
    Path home = Files.createDirectories(dir.resolve(name));
    Files.createDirectories(home.resolve("tmp"));
    UserPrincipalLookupService users = dir.getFileSystem().getUserPrincipalLookupService();
    for (Path p : List.of(home, home.resolve("tmp"))) {
      PosixFileAttributeView view = Files.getFileAttributeView(p, PosixFileAttributeView.class);
      view.setOwner(users.lookupPrincipalByName(user));
      view.setGroup(users.lookupPrincipalByGroupName(group));
      mode(p, 0700);
    }
    return home;
  }

  private Process agent(String user, String group, Path home, Path log) throws IOException {
    List<String> cmd = as(user, group, List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Djava.io.tmpdir=" + home.resolve("tmp"), "-jar", jar.toString(),
        "--config", dir.resolve("flowwatch.yaml").toString(), "--watchdir", watch.toString(),
        "--state-dir", home.resolve("state").toString(), "--start-grace=PT1S", "--status-poll=PT0.2S"));
    Map<String, String> env = new TreeMap<>(Map.of(
        "PATH", System.getenv("PATH"),
        "HOME", home.toString(),
        StateLayout.LOCK_DIR_VARIABLE, locks.toString(),
        "GLOBUS_SDK_SERVICE_URL_AUTH", globus.baseUrl(),
        "GLOBUS_SDK_SERVICE_URL_FLOWS", globus.baseUrl(),
        "GLOBUS_CLIENT_ID", "c0ffee00-1111-4222-8333-444455556666",
        "GLOBUS_CLIENT_SECRET", "not-a-real-secret"));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(home.toFile());
    pb.environment().clear();
    pb.environment().putAll(env);
    pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    Process p = pb.start();
    agents.add(p);
    return p;
  }

  private static void await(String what, Duration limit, Path log, BooleanSupplier condition)
      throws InterruptedException {
    Instant end = Instant.now().plus(limit);
    while (!condition.getAsBoolean()) {
      if (Instant.now().isAfter(end)) {
        throw new AssertionError("timed out waiting for " + what + "; agent log:\n" + read(log));
      }
      Thread.sleep(50);
    }
  }

  private static void mode(Path p, int mode) throws IOException {
    Files.setAttribute(p, "unix:mode", mode);
  }

  private static int mode(Path p) throws IOException {
    return (Integer) Files.getAttribute(p, "unix:mode") & 07777;
  }

  private static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (IOException e) {
      return "";
    }
  }
}
