package org.flowwatch.watch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocketFactory;
import org.flowwatch.config.Config;
import org.flowwatch.config.ConfigLoader;
import org.flowwatch.config.NotifyConfig;
import org.flowwatch.globus.GlobusHttp;
import org.flowwatch.globus.ServiceUrls;
import org.flowwatch.ledger.Ledger;
import org.flowwatch.ledger.RunState;
import org.flowwatch.notify.Notifier;
import org.flowwatch.testing.FakeFlows;
import org.flowwatch.testing.LogCapture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The agent tells what failed through its notifier, and a receiver that is down or hangs costs it nothing. */
class AgentNotificationTest {
  static final FakeFlows fake = new FakeFlows();
  private static final Notifier.Retries FAST = new Notifier.Retries(3, Duration.ofMillis(50), 2);

  @RegisterExtension static WireMockExtension globus = FakeFlows.extension(fake);

  @TempDir Path dir;
  private Path watch;
  private Ledger ledger;
  private GlobusHttp http;
  private Notifier notifier;

  @BeforeEach
  void setUp() throws IOException {
    fake.reset();
    fake.install(globus);
    fake.status("FAILED");
    watch = Files.createDirectories(dir.resolve("watch"));
    Files.writeString(dir.resolve("schema.json"), AgentTest.SCHEMA);
    for (int i = 1; i <= 5; i++) {
      Path run = Files.createDirectories(watch.resolve(String.format("run%04d", i)));
      Files.writeString(run.resolve("seg-00.evt"), "segment");
    }
  }

  @AfterEach
  void tearDown() {
    if (notifier != null) {
      notifier.close();
    }
    if (ledger != null) {
      ledger.close();
    }
    if (http != null) {
      http.close();
    }
  }

  private Services services() {
    String url = globus.baseUrl();
    http = new GlobusHttp(ServiceUrls.from(Map.of("GLOBUS_SDK_SERVICE_URL_AUTH", url,
        "GLOBUS_SDK_SERVICE_URL_FLOWS", url, "GLOBUS_SDK_SERVICE_URL_COMPUTE", url)), Duration.ofSeconds(5));
    Services services = AgentTest.services(http);
    return services;
  }

  private Agent agent(URI webhook, Duration digest) throws IOException {
    Files.writeString(dir.resolve("flowwatch.yaml"),
        AgentTest.config(watch, "readiness: [manifest]\n  manifest: {glob: \"*.evt\", count: 1}"));
    Config cfg = new ConfigLoader(Map.of()).load(dir.resolve("flowwatch.yaml"));
    ledger = Ledger.open(dir.resolve("state/ledger.db"), watch, Clock.systemUTC());
    Services services = services();
    notifier = Notifier.start(new NotifyConfig(NotifyConfig.DEFAULT_ON, Duration.ofMinutes(30), digest, webhook,
        null, null), watch, Map.of(), Clock.systemUTC(), FAST, (SSLSocketFactory) SSLSocketFactory.getDefault());
    return new Agent(watch, cfg, ledger, services, () -> cfg,
        new AgentOptions(Duration.ZERO, Duration.ZERO).withEvents(notifier), Clock.systemUTC(), Map.of());
  }

  /** Passes until every directory is FAILED (started, then polled); returns how long that took. */
  private Duration failAll(Agent agent) {
    long t0 = System.nanoTime();
    for (int i = 0; i < 10 && ledger.count(EnumSet.of(RunState.FAILED)) < 5; i++) {
      agent.runOnce();
    }
    assertEquals(5, ledger.count(EnumSet.of(RunState.FAILED)), "the agent did not see every run fail");
    return Duration.ofNanos(System.nanoTime() - t0);
  }

  @Test
  void failedRunsAreToldInOneMessageWithTheirRunPages() throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    BlockingQueue<String> bodies = new LinkedBlockingQueue<>();
    server.createContext("/", exchange -> {
      try (InputStream in = exchange.getRequestBody()) {
        bodies.add(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      }
      exchange.sendResponseHeaders(200, -1);
      exchange.close();
    });
    server.start();
    try {
      Agent agent = agent(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hook"),
          Duration.ofSeconds(2));

      failAll(agent);

      String body = bodies.poll(10, TimeUnit.SECONDS);
      assertNotNull(body, "nothing was posted");
      JsonNode json = new ObjectMapper().readTree(body);
      assertEquals(5, json.get("count").asInt(), json.toString());
      List<String> keys = new ArrayList<>();
      for (JsonNode e : json.get("events")) {
        keys.add(e.get("key").asText());
        assertEquals("FAILED", e.get("state").asText());
        String runId = e.get("run_id").asText();
        assertTrue(fake.runs().stream().anyMatch(r -> r.id().equals(runId)), runId);
        assertEquals("https://app.globus.org/runs/" + runId, e.get("run_url").asText());
      }
      assertEquals(List.of("run0001", "run0002", "run0003", "run0004", "run0005"), keys.stream().sorted().toList());
      assertEquals(null, bodies.poll(3, TimeUnit.SECONDS), "the burst was sent as more than one message");
    } finally {
      server.stop(0);
    }
  }

  @Test
  void aOncePassSendsWhatItFoundBeforeItExitsWithoutWaitingForTheDigest() throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    BlockingQueue<String> bodies = new LinkedBlockingQueue<>();
    server.createContext("/", exchange -> {
      try (InputStream in = exchange.getRequestBody()) {
        bodies.add(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      }
      exchange.sendResponseHeaders(204, -1);
      exchange.close();
    });
    server.start();
    try {
      Path config = dir.resolve("flowwatch.yaml");
      Files.writeString(config, AgentTest.config(watch, "readiness: [manifest]\n  manifest: {glob: \"*.evt\", count: 1}")
          + "notify:\n  webhook: {url: \"http://127.0.0.1:" + server.getAddress().getPort() + "/hook\"}\n"
          + "  digest: 60s\n");
      Map<String, String> env = Map.of("FLOWWATCH_LOCK_DIR", Files.createDirectories(dir.resolve("locks")).toString());
      StartOptions once = new StartOptions(config, null, dir.resolve("state"), watch, null, true, true, false, false,
          false, null, new AgentOptions(Duration.ZERO, Duration.ZERO));
      Services services = services();
      WatchAgent cron = new WatchAgent(new java.io.PrintWriter(System.err, true), env, Clock.systemUTC());

      assertEquals(Outcome.OK, cron.run(once, services)); // starts the five
      long t0 = System.nanoTime();
      assertEquals(Outcome.OK, cron.run(once, services)); // polls: all FAILED
      long millis = Duration.ofNanos(System.nanoTime() - t0).toMillis();

      String body = bodies.poll(1, TimeUnit.SECONDS);
      assertNotNull(body, "the pass exited without sending what it found");
      assertEquals(5, new ObjectMapper().readTree(body).get("count").asInt(), body);
      assertTrue(millis < 10_000, "the pass waited " + millis + " ms");
    } finally {
      server.stop(0);
    }
  }

  @Test
  void aDirectoryHeldBeforeARestartIsToldOnceHeldAfterHasPassed() throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    BlockingQueue<String> bodies = new LinkedBlockingQueue<>();
    server.createContext("/", exchange -> {
      try (InputStream in = exchange.getRequestBody()) {
        bodies.add(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      }
      exchange.sendResponseHeaders(204, -1);
      exchange.close();
    });
    server.start();
    try {
      fake.endpointStatus("offline");
      org.flowwatch.globus.MutableClock clock = new org.flowwatch.globus.MutableClock(
          java.time.Instant.parse("2026-12-01T20:00:00Z"));
      Path state = dir.resolve("state");
      try (Ledger earlier = Ledger.open(state.resolve("ledger.db"), watch, clock)) {
        earlier.apply(List.of(org.flowwatch.ledger.Transition.of("run0001", RunState.HELD)
            .error("Compute endpoint frib-fit-mpi is offline").reason("Compute endpoint frib-fit-mpi is offline")));
      }
      clock.advance(Duration.ofHours(12)); // the agent is started again the next morning
      Path config = dir.resolve("flowwatch.yaml");
      Files.writeString(config, AgentTest.config(watch, "readiness: [manifest]\n  manifest: {glob: \"*.evt\", count: 1}")
          + "notify:\n  webhook: {url: \"http://127.0.0.1:" + server.getAddress().getPort() + "/hook\"}\n");
      Map<String, String> env = Map.of("FLOWWATCH_LOCK_DIR", Files.createDirectories(dir.resolve("locks")).toString());
      StartOptions once = new StartOptions(config, null, state, watch, null, true, true, false, false, false, null,
          new AgentOptions(Duration.ZERO, Duration.ZERO));

      new WatchAgent(new java.io.PrintWriter(System.err, true), env, clock).run(once, services());

      String body = bodies.poll(2, TimeUnit.SECONDS);
      assertNotNull(body, "the directory HELD for 12 hours was not told about");
      JsonNode json = new ObjectMapper().readTree(body);
      assertEquals("HELD", json.get("event").asText(), body);
      assertEquals("run0001", json.get("key").asText(), body);
      assertTrue(json.get("message").asText().contains("frib-fit-mpi is offline"), body);
      // The other four became HELD in this pass: not yet held_after.
      assertEquals(1, json.get("count").asInt(), body);
    } finally {
      server.stop(0);
    }
  }

  @Test
  void anUnreachableReceiverDoesNotStopTheAgentAndIsWarnedAbout() throws Exception {
    int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    try (LogCapture logs = new LogCapture("flowwatch.notify")) {
      Agent agent = agent(URI.create("http://127.0.0.1:" + closed + "/hook"), Duration.ZERO);

      failAll(agent);
      fake.status("SUCCEEDED");
      Path more = Files.createDirectories(watch.resolve("run0006"));
      Files.writeString(more.resolve("seg-00.evt"), "segment");
      for (int i = 0; i < 5 && ledger.count(EnumSet.of(RunState.SUCCEEDED)) < 1; i++) {
        agent.runOnce();
      }

      assertEquals(1, ledger.count(EnumSet.of(RunState.SUCCEEDED)), "the agent stopped working");
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (!logs.all().contains("gave up after 3 attempts") && System.nanoTime() < until) {
        Thread.sleep(20);
      }
      assertTrue(logs.all().contains("WARN could not notify by webhook http://127.0.0.1:" + closed), logs.all());
      assertTrue(logs.all().contains("gave up after 3 attempts"), logs.all());
    }
  }

  @Test
  void aReceiverThatHangsDoesNotSlowTheAgent() throws Exception {
    try (ServerSocket hole = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
      List<Socket> held = new ArrayList<>();
      Thread acceptor = new Thread(() -> {
        try {
          while (true) {
            held.add(hole.accept()); // accepted, never answered
          }
        } catch (IOException closedAtEnd) {
          // the test is over
        }
      });
      acceptor.setDaemon(true);
      acceptor.start();
      Agent agent = agent(URI.create("http://127.0.0.1:" + hole.getLocalPort() + "/hook"), Duration.ZERO);

      Duration took = failAll(agent);

      // The webhook's request waits 20 s for an answer that never comes; the agent must not wait with it.
      assertTrue(took.compareTo(Duration.ofSeconds(8)) < 0, "the agent took " + took.toMillis() + " ms");
    }
  }
}
