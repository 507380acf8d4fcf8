package org.flowwatch.watch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import org.flowwatch.config.Config;
import org.flowwatch.config.ConfigLoader;
import org.flowwatch.globus.GlobusHttp;
import org.flowwatch.globus.ServiceUrls;
import org.flowwatch.ledger.Ledger;
import org.flowwatch.ledger.RunState;
import org.flowwatch.ops.HttpEndpoint;
import org.flowwatch.testing.FakeFlows;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real agent loop, a real SQLite ledger and the real HTTP endpoint, against the stateful fake Flows
 * service: what {@code /metrics}, {@code /healthz} and {@code /readyz} answer while it works, while its loop
 * is stuck, and while starts are paused.
 */
class AgentHealthTest {
  static final FakeFlows fake = new FakeFlows();

  @RegisterExtension static WireMockExtension globus = FakeFlows.extension(fake);

  @TempDir Path dir;
  private Path watch;
  private Ledger ledger;
  private GlobusHttp http;
  private Agent agent;
  private Thread loop;
  private HttpEndpoint endpoint;
  private final HttpClient client = HttpClient.newHttpClient();

  /** This host's time plus an offset a test may jump forward, from any thread. */
  static final class JumpingClock extends Clock {
    private volatile Duration offset = Duration.ZERO;

    void jump(Duration d) {
      offset = offset.plus(d);
    }

    @Override
    public Instant instant() {
      return Instant.now().plus(offset);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }

  @BeforeEach
  void setUp() throws IOException {
    fake.reset();
    fake.install(globus);
    watch = Files.createDirectories(dir.resolve("watch"));
    Files.writeString(dir.resolve("schema.json"), AgentTest.SCHEMA);
  }

  @AfterEach
  void tearDown() throws InterruptedException {
    if (agent != null) {
      agent.stop();
    }
    if (loop != null) {
      loop.join(10_000);
    }
    if (endpoint != null) {
      endpoint.close();
    }
    if (ledger != null) {
      ledger.close();
    }
    if (http != null) {
      http.close();
    }
  }

  private void startAgent(Clock clock) throws IOException {
    Files.writeString(dir.resolve("flowwatch.yaml"), AgentTest.config(watch,
        "readiness: [manifest]\n  manifest: {glob: \"*.evt\", count: 1}"));
    Config cfg = new ConfigLoader(Map.of()).load(dir.resolve("flowwatch.yaml"));
    ledger = Ledger.open(dir.resolve("state/ledger.db"), watch, Clock.systemUTC());
    String url = globus.baseUrl();
    http = new GlobusHttp(ServiceUrls.from(Map.of("GLOBUS_SDK_SERVICE_URL_AUTH", url,
        "GLOBUS_SDK_SERVICE_URL_FLOWS", url, "GLOBUS_SDK_SERVICE_URL_COMPUTE", url)), Duration.ofSeconds(10));
    Services services = AgentTest.services(http);
    agent = new Agent(watch, cfg, ledger, services, () -> cfg, new AgentOptions(Duration.ZERO, Duration.ZERO),
        clock, Map.of());
    endpoint = HttpEndpoint.start(new InetSocketAddress("127.0.0.1", 0), agent.metrics(), ledger::countByState);
    loop = new Thread(() -> agent.run(false), "agent-under-test");
    loop.start();
  }

  private void runDir(String name) throws IOException {
    Path run = Files.createDirectories(watch.resolve(name));
    Files.writeString(run.resolve(name + "-00.evt"), "segment");
  }

  private HttpResponse<String> get(String path) throws IOException, InterruptedException {
    URI uri = URI.create("http://127.0.0.1:" + endpoint.address().getPort() + path);
    return client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void metricsOfAWorkingAgentCountItsStartsAndPassPromtool() throws Exception {
    runDir("run0001");
    runDir("run0002");
    startAgent(Clock.systemUTC());
    await(() -> ledger.countByState().get(RunState.SUCCEEDED) == 2, "both runs to succeed");
    await(() -> get("/metrics").body().contains("flowwatch_last_poll_timestamp_seconds 1"), "a poll");

    HttpResponse<String> r = get("/metrics");

    assertEquals(200, r.statusCode());
    assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"));
    String body = r.body();
    assertTrue(body.contains("flowwatch_run_directories{state=\"SUCCEEDED\"} 2\n"), body);
    assertTrue(body.contains("flowwatch_run_directories{state=\"READY\"} 0\n"), body);
    assertTrue(body.contains("flowwatch_starts_total{outcome=\"started\"} 2\n"), body);
    assertTrue(body.contains("flowwatch_start_latency_seconds_count 2\n"), body);
    assertTrue(body.contains("flowwatch_backlog 0\n"), body);
    assertTrue(body.matches("(?s).*flowwatch_scan_duration_seconds_count [1-9].*"), body);
    assertTrue(body.matches("(?s).*flowwatch_last_scan_timestamp_seconds 1\\d{9}.*"), body);
    assertTrue(body.contains("flowwatch_starts_paused_until_timestamp_seconds 0\n"), body);
    promtoolAccepts(body);
  }

  /** Prometheus's own parser and linter; the package is installed by dev/install-test-deps.sh. */
  static void promtoolAccepts(String exposition) throws IOException, InterruptedException {
    Path promtool = Path.of("/usr/bin/promtool");
    Assumptions.assumeTrue(Files.isExecutable(promtool), "promtool is not installed (Debian package"
        + " prometheus, installed by dev/install-test-deps.sh); skipping the exposition-format check");
    Process p = new ProcessBuilder(promtool.toString(), "check", "metrics").redirectErrorStream(true).start();
    try (var in = p.getOutputStream()) {
      in.write(exposition.getBytes(StandardCharsets.UTF_8));
    }
    String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), "promtool check metrics refused the exposition: " + said);
    assertEquals("", said.strip(), "promtool check metrics found problems");
  }

  @Test
  void aScanningAgentIsHealthyAndReady() throws Exception {
    startAgent(Clock.systemUTC());
    await(() -> get("/healthz").statusCode() == 200, "/healthz to answer 200");

    HttpResponse<String> health = get("/healthz");
    HttpResponse<String> ready = get("/readyz");

    assertTrue(health.body().startsWith("ok: last scan at "), health.body());
    assertEquals(200, ready.statusCode(), ready.body());
    assertEquals(405, client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
        + endpoint.address().getPort() + "/healthz")).POST(HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.ofString()).statusCode());
  }

  @Test
  void aLoopStuckInAStartIsUnhealthyUntilItScansAgain() throws Exception {
    JumpingClock clock = new JumpingClock();
    fake.startHold(4000);
    startAgent(clock);
    await(() -> get("/healthz").statusCode() == 200, "the first scan");
    runDir("run0001");
    await(() -> fake.inFlight() == 1, "the start request to be out and held");

    clock.jump(Duration.ofMinutes(5)); // five minutes pass while the start call holds the loop

    HttpResponse<String> stalled = get("/healthz");
    assertEquals(503, stalled.statusCode(), stalled.body());
    assertTrue(stalled.body().startsWith("the last successful scan was at "), stalled.body());
    assertTrue(stalled.body().contains("more than 60s"), stalled.body());
    await(() -> get("/healthz").statusCode() == 200, "the loop to scan again once the start returned");
  }

  @Test
  void pausedStartsMakeTheAgentUnreadyButStillHealthy() throws Exception {
    fake.policy(n -> FakeFlows.Outcome.RATE_LIMIT);
    runDir("run0001");
    startAgent(Clock.systemUTC());

    await(() -> get("/readyz").statusCode() == 503, "/readyz to answer 503");

    HttpResponse<String> ready = get("/readyz");
    String body = ready.statusCode() == 503 ? ready.body() : get("/readyz").body();
    assertTrue(body.contains("starts are paused until "), body);
    assertEquals(200, get("/healthz").statusCode());
    assertTrue(get("/metrics").body().contains("flowwatch_start_failures_total{class=\"rate_limited\"}"));
  }

  @Test
  void aStoppedLoopIsNeitherHealthyNorReady() throws Exception {
    startAgent(Clock.systemUTC());
    await(() -> get("/healthz").statusCode() == 200, "the first scan");

    agent.stop();
    loop.join(10_000);

    HttpResponse<String> health = get("/healthz");
    assertEquals(503, health.statusCode());
    assertTrue(health.body().startsWith("the agent loop is not running (it stopped at "), health.body());
    assertEquals(503, get("/readyz").statusCode());
  }

  interface Check {
    boolean holds() throws Exception;
  }

  static void await(Check condition, String what) throws Exception {
    long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!condition.holds()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(20);
    }
  }
}
