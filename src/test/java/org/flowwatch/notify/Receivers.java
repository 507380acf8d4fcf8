package org.flowwatch.notify;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.flowwatch.config.NotifyConfig;
import org.flowwatch.ledger.RunRecord;
import org.flowwatch.ledger.RunState;

/** Real local receivers for the notification tests, and the rows they are told about. */
final class Receivers {
  static final String RUN_ID = "36ad9f9a-ad29-488f-beb4-c22ab729643a";
  static final Notifier.Retries FAST = new Notifier.Retries(3, Duration.ofMillis(50), 2);

  private Receivers() {}

  /** An HTTP server that answers every POST with {@code status} and keeps the bodies. */
  static final class Http implements AutoCloseable {
    final HttpServer server;
    final BlockingQueue<String> bodies = new LinkedBlockingQueue<>();
    final BlockingQueue<String> contentTypes = new LinkedBlockingQueue<>();
    volatile int status = 200;

    Http() throws IOException {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      server.createContext("/", exchange -> {
        try (InputStream in = exchange.getRequestBody()) {
          bodies.add(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        contentTypes.add(String.valueOf(exchange.getRequestHeaders().getFirst("Content-Type")));
        byte[] answer = (status == 200 ? "ok" : "no_service").getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, answer.length);
        exchange.getResponseBody().write(answer);
        exchange.close();
      });
      server.start();
    }

    URI url() {
      return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/services/T000/B000/secret-part");
    }

    String next(Duration within) throws InterruptedException {
      return bodies.poll(within.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
      server.stop(0);
    }
  }

  /** Accepts connections and never answers: a receiver that hangs. */
  static final class BlackHole implements AutoCloseable {
    final ServerSocket socket;
    final List<Socket> held = new ArrayList<>();
    final Thread acceptor;

    BlackHole() throws IOException {
      socket = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
      acceptor = new Thread(() -> {
        try {
          while (true) {
            Socket s = socket.accept();
            synchronized (held) {
              held.add(s);
            }
          }
        } catch (IOException closed) {
          // the test is over
        }
      }, "black-hole");
      acceptor.setDaemon(true);
      acceptor.start();
    }

    int port() {
      return socket.getLocalPort();
    }

    int connections() {
      synchronized (held) {
        return held.size();
      }
    }

    @Override
    public void close() throws IOException {
      socket.close();
      synchronized (held) {
        for (Socket s : held) {
          s.close();
        }
      }
    }
  }

  /** A port where nothing listens. */
  static int closedPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  static NotifyConfig webhook(URI url, Duration digest) {
    return new NotifyConfig(NotifyConfig.DEFAULT_ON, Duration.ofMinutes(30), digest, url, null, null);
  }

  static RunRecord row(String key, RunState state, String runId, String error) {
    Instant now = Clock.systemUTC().instant();
    return new RunRecord(key, state, 1, "fw-3f9a2c1b", runId, error, null, now, now, null);
  }
}
