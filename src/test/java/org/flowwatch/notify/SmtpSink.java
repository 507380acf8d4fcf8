package org.flowwatch.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * A real SMTP server (Debian's python3-aiosmtpd, installed by dev/install-test-deps.sh) that writes each
 * mail it accepts to a directory, optionally with STARTTLS on a self-signed certificate and a required login.
 */
final class SmtpSink implements AutoCloseable {
  private static final String PYTHON = "/usr/bin/python3";
  private static final ObjectMapper JSON = new ObjectMapper();

  final int port;
  final Path mails;
  private final Process process;

  private SmtpSink(int port, Path mails, Process process) {
    this.port = port;
    this.mails = mails;
    this.process = process;
  }

  static SmtpSink plain(Path dir) throws Exception {
    return start(dir, List.of());
  }

  /** Offers STARTTLS with {@code tls}'s certificate and requires {@code user}/{@code password} over it. */
  static SmtpSink withTlsAndLogin(Path dir, Tls tls, String user, String password) throws Exception {
    return start(dir, List.of(tls.cert.toString(), tls.key.toString(), user, password));
  }

  private static SmtpSink start(Path dir, List<String> extra) throws Exception {
    Path script = Path.of(SmtpSink.class.getResource("/notify/smtp_sink.py").toURI());
    Path mails = Files.createDirectories(dir.resolve("mails"));
    int port = Receivers.closedPort();
    List<String> argv = new ArrayList<>(List.of(PYTHON, script.toString(), String.valueOf(port), mails.toString()));
    argv.addAll(extra);
    Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
    BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    String first = out.readLine();
    if (!"ready".equals(first)) {
      StringBuilder all = new StringBuilder(String.valueOf(first));
      for (String l = out.readLine(); l != null; l = out.readLine()) {
        all.append('\n').append(l);
      }
      p.destroyForcibly();
      throw new AssertionError("the test SMTP server did not start (it needs Debian's python3-aiosmtpd: run"
          + " dev/install-test-deps.sh as root): " + all);
    }
    Thread drain = new Thread(() -> {
      try (InputStream in = p.getInputStream()) {
        in.transferTo(System.err);
      } catch (IOException ignored) {
        // the server stopped
      }
    }, "smtp-sink-output");
    drain.setDaemon(true);
    drain.start();
    return new SmtpSink(port, mails, p);
  }

  /** The mails received so far, in order. */
  List<JsonNode> received() throws IOException {
    List<JsonNode> out = new ArrayList<>();
    for (int n = 1; Files.exists(mails.resolve(n + ".json")); n++) {
      out.add(JSON.readTree(mails.resolve(n + ".json").toFile()));
    }
    return out;
  }

  @Override
  public void close() throws Exception {
    process.getOutputStream().close(); // it runs until stdin closes
    if (!process.waitFor(5, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }

  /** A self-signed certificate (for 127.0.0.1 unless named) made by openssl, and a socket factory that trusts only it. */
  static final class Tls {
    final Path cert;
    final Path key;
    final SSLSocketFactory trusting;

    Tls(Path dir) throws Exception {
      this(dir, "IP:127.0.0.1");
    }

    /** @param name the certificate's subjectAltName, such as {@code DNS:mail.example.org} */
    Tls(Path dir, String name) throws Exception {
      cert = dir.resolve("cert.pem");
      key = dir.resolve("key.pem");
      Process p = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
          "-subj", "/CN=" + name.substring(name.indexOf(':') + 1), "-addext", "subjectAltName=" + name, "-keyout", key.toString(), "-out",
          cert.toString()).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (p.waitFor() != 0) {
        throw new AssertionError("openssl could not make a test certificate: " + out);
      }
      KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
      trust.load(null, null);
      try (InputStream in = Files.newInputStream(cert)) {
        trust.setCertificateEntry("sink", CertificateFactory.getInstance("X.509").generateCertificate(in));
      }
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, tmf.getTrustManagers(), null);
      trusting = ctx.getSocketFactory();
    }
  }
}
