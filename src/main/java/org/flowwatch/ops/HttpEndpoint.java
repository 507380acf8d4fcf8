package org.flowwatch.ops;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.flowwatch.ledger.RunState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's HTTP endpoint ({@code http.listen}): {@code /metrics} (Prometheus text), {@code /healthz}
 * and {@code /readyz} (200 or 503, with why in the body). Served by the JDK's own HTTP server on one daemon
 * thread, so a slow scraper never touches the agent loop; a scrape reads the agent's counters and runs one
 * {@code GROUP BY} on the ledger, and the health answers read the counters only.
 */
public final class HttpEndpoint implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(HttpEndpoint.class);

  private final HttpServer server;
  private final ExecutorService executor;

  private HttpEndpoint(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  /**
   * Binds {@code address} and serves until {@link #close}.
   *
   * @param byState the ledger's counts by state, asked once per scrape
   * @throws IOException when the address cannot be bound (in use, not this host's, a privileged port)
   */
  public static HttpEndpoint start(InetSocketAddress address, AgentMetrics metrics,
      Supplier<Map<RunState, Integer>> byState) throws IOException {
    HttpServer server = HttpServer.create(address, 16);
    ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "flowwatch-http");
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(executor);
    server.createContext("/metrics", ex -> answer(ex, () -> {
      AgentMetrics.Snapshot s = metrics.snapshot();
      return new Answer(200, PrometheusText.CONTENT_TYPE, PrometheusText.render(s, byState.get()));
    }));
    server.createContext("/healthz", ex -> answer(ex, () -> verdict(Health.live(metrics.snapshot()))));
    server.createContext("/readyz", ex -> answer(ex, () -> verdict(Health.ready(metrics.snapshot()))));
    server.createContext("/", ex -> answer(ex, () -> new Answer(404, "text/plain; charset=utf-8",
        "flowwatch serves /metrics, /healthz and /readyz\n")));
    server.start();
    return new HttpEndpoint(server, executor);
  }

  /** The bound address (its port is the system's choice when port 0 was asked for). */
  public InetSocketAddress address() {
    return server.getAddress();
  }

  private record Answer(int status, String type, String body) {}

  private static Answer verdict(Health.Verdict v) {
    return new Answer(v.status(), "text/plain; charset=utf-8", v.text() + "\n");
  }

  private static void answer(HttpExchange ex, Supplier<Answer> make) throws IOException {
    try (ex) {
      String method = ex.getRequestMethod();
      if (!method.equals("GET") && !method.equals("HEAD")) {
        ex.getResponseHeaders().set("Allow", "GET, HEAD");
        ex.sendResponseHeaders(405, -1);
        return;
      }
      Answer a;
      try {
        a = make.get();
      } catch (RuntimeException e) {
        // A ledger that cannot be read now (busy, damaged): say so to the scraper, keep serving.
        log.warn("cannot answer {}: {}", ex.getRequestURI().getPath(), e.getMessage());
        a = new Answer(500, "text/plain; charset=utf-8", "cannot answer: " + e.getMessage() + "\n");
      }
      byte[] body = a.body().getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().set("Content-Type", a.type());
      ex.getResponseHeaders().set("Cache-Control", "no-store");
      if (method.equals("HEAD")) {
        ex.sendResponseHeaders(a.status(), -1);
        return;
      }
      ex.sendResponseHeaders(a.status(), body.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(body);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
