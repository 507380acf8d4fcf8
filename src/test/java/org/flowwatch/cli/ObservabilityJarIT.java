package org.flowwatch.cli;

import static org.flowwatch.cli.AgentHarness.ONE_FILE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.flowwatch.testing.FakeFlows;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged agent seen from outside, as an operator sees it: its metrics over HTTP, and {@code status}
 * in another process telling whether it runs (the lock probe across processes) and when it last ran.
 */
class ObservabilityJarIT {
  static final FakeFlows fake = new FakeFlows();

  @RegisterExtension static WireMockExtension globus = FakeFlows.extension(fake);

  @TempDir Path tmp;
  private AgentHarness h;

  @BeforeEach
  void setUp() throws Exception {
    fake.reset();
    fake.install(globus);
    h = new AgentHarness(tmp, globus.baseUrl());
    h.config(ONE_FILE);
  }

  @AfterEach
  void tearDown() throws InterruptedException {
    h.close();
  }

  private String status() throws Exception {
    JarRunner.Result r = h.jar().run("--state-dir", h.state.toString(), "status");
    assertEquals(0, r.code(), r.err());
    return r.err().lines().findFirst().orElse("");
  }

  private static void await(Check condition, String what) throws Exception {
    long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!condition.holds()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(100);
    }
  }

  interface Check {
    boolean holds() throws Exception;
  }

  @Test
  void theAgentServesMetricsAndStatusInAnotherProcessSeesItRunThenStop() throws Exception {
    Process agent = h.startAgent("--http", "127.0.0.1:0");
    Pattern serving = Pattern.compile("serving /metrics, /healthz and /readyz on (http://127\\.0\\.0\\.1:\\d+)");
    await(() -> serving.matcher(h.log()).find(), "the agent to say where it serves");
    Matcher m = serving.matcher(h.log());
    assertTrue(m.find());
    String base = m.group(1);
    Files.createDirectories(h.watch.resolve("run0001"));
    Files.writeString(h.watch.resolve("run0001/a.evt"), "segment");
    HttpClient client = HttpClient.newHttpClient();
    await(() -> client.send(HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString()).body().contains("flowwatch_starts_total{outcome=\"started\"} 1"),
        "the start to be counted");
    String metrics = client.send(HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
    promtoolAccepts(metrics);
    assertEquals(200, client.send(HttpRequest.newBuilder(URI.create(base + "/healthz")).build(),
        HttpResponse.BodyHandlers.ofString()).statusCode());
    await(() -> status().contains("last scan 20"), "agent.status to carry a scan");

    String running = status();

    assertTrue(running.startsWith("agent: running (pid " + agent.pid() + ", user "), running);
    assertTrue(running.contains(", host "), running);

    AgentHarness.signal(agent, "TERM");
    assertTrue(agent.waitFor(20, TimeUnit.SECONDS));
    String stopped = status();

    assertTrue(stopped.startsWith("agent: not running; it last ran as pid " + agent.pid() + " on "), stopped);
    assertTrue(stopped.contains(", stopped at 20"), stopped);
  }

  @Test
  void aKilledAgentIsNotRunningAndStatusSaysItDidNotStopCleanly() throws Exception {
    Process agent = h.startAgent();
    await(() -> Files.exists(h.state.resolve("agent.status")), "agent.status");
    await(() -> status().startsWith("agent: running"), "status to see the agent");

    agent.destroyForcibly();
    assertTrue(agent.waitFor(20, TimeUnit.SECONDS));
    String killed = status();

    assertTrue(killed.startsWith("agent: not running; it last ran as pid " + agent.pid() + " on "), killed);
    assertTrue(killed.contains("ended without stopping cleanly (killed?) after 20"), killed);
    Process again = h.startAgent(); // status's probe of the lock left nothing behind
    await(() -> status().startsWith("agent: running (pid " + again.pid()), "a new agent to take the lock");
  }

  private static void promtoolAccepts(String exposition) throws Exception {
    Path promtool = Path.of("/usr/bin/promtool");
    Assumptions.assumeTrue(Files.isExecutable(promtool), "promtool is not installed (Debian package"
        + " prometheus, installed by dev/install-test-deps.sh); skipping the exposition-format check");
    Process p = new ProcessBuilder(promtool.toString(), "check", "metrics").redirectErrorStream(true).start();
    try (var in = p.getOutputStream()) {
      in.write(exposition.getBytes(StandardCharsets.UTF_8));
    }
    String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), "promtool check metrics refused the exposition: " + said);
  }
}
