package org.flowwatch.notify;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * Sends one mail over SMTP (RFC 5321): EHLO, STARTTLS when the server offers it (RFC 3207), AUTH PLAIN or
 * LOGIN when a login is given (RFC 4954), then MAIL FROM, RCPT TO and DATA. Written here rather than taken
 * from a mail library: flowwatch needs this one path, and no mail library is in the project's allowed set.
 * A login is only ever sent over TLS whose certificate matches the host.
 */
final class SmtpClient {
  private static final Duration CONNECT = Duration.ofSeconds(10);
  private static final Duration READ = Duration.ofSeconds(30);

  /** A user and password from the environment; never logged, never in an error. */
  record Login(String user, String password) {
    @Override
    public String toString() {
      return "Login[" + user + "]";
    }
  }

  private final String host;
  private final int port;
  private final SSLSocketFactory tls;
  private final String heloName;

  /**
   * @param tls makes the STARTTLS socket; {@code SSLSocketFactory.getDefault()} trusts the JDK's CAs
   * @param heloName how this host introduces itself
   */
  SmtpClient(String host, int port, SSLSocketFactory tls, String heloName) {
    this.host = host;
    this.port = port;
    this.tls = tls;
    this.heloName = heloName;
  }

  /** One conversation; {@code data} is the whole mail (headers and body) with CRLF line ends. */
  void send(String from, List<String> to, String data, Login login) throws IOException {
    try (Socket plain = new Socket()) {
      plain.connect(new InetSocketAddress(host, port), (int) CONNECT.toMillis());
      plain.setSoTimeout((int) READ.toMillis());
      Conversation c = new Conversation(plain);
      c.expect("the greeting", 220);
      List<String> ext = c.command("EHLO " + heloName, "EHLO", 250);
      if (offers(ext, "STARTTLS")) {
        c.command("STARTTLS", "STARTTLS", 220);
        SSLSocket secure = (SSLSocket) tls.createSocket(plain, host, port, true);
        SSLParameters params = secure.getSSLParameters();
        params.setEndpointIdentificationAlgorithm("HTTPS"); // the certificate must name smtp_host
        secure.setSSLParameters(params);
        secure.setSoTimeout((int) READ.toMillis());
        secure.startHandshake();
        c = new Conversation(secure);
        ext = c.command("EHLO " + heloName, "EHLO after STARTTLS", 250);
        if (login != null) {
          authenticate(c, ext, login);
        }
      } else if (login != null) {
        throw new IOException(host + ":" + port + " does not offer STARTTLS, and FLOWWATCH_SMTP_USER is set:"
            + " refusing to send the password unencrypted; use the server's submission port (587) or unset the"
            + " login for a relay that needs none");
      }
      c.command("MAIL FROM:<" + from + ">", "MAIL FROM", 250);
      for (String rcpt : to) {
        c.command("RCPT TO:<" + rcpt + ">", "RCPT TO " + rcpt, 250, 251);
      }
      c.command("DATA", "DATA", 354);
      c.raw(dotStuffed(data) + ".\r\n");
      c.expect("the end of DATA", 250);
      try {
        c.command("QUIT", "QUIT", 221);
      } catch (IOException ignored) {
        // the mail is accepted; a server that hangs up before answering QUIT changes nothing
      }
    }
  }

  private void authenticate(Conversation c, List<String> ext, Login login) throws IOException {
    String mechanisms = ext.stream().map(l -> l.toUpperCase(Locale.ROOT)).filter(l -> l.startsWith("AUTH"))
        .findFirst().orElse("");
    if (mechanisms.contains("PLAIN")) {
      String token = b64("\0" + login.user() + "\0" + login.password());
      c.secret("AUTH PLAIN " + token, "AUTH PLAIN", 235);
    } else if (mechanisms.contains("LOGIN")) {
      c.command("AUTH LOGIN", "AUTH LOGIN", 334);
      c.secret(b64(login.user()), "AUTH LOGIN user name", 334);
      c.secret(b64(login.password()), "AUTH LOGIN password", 235);
    } else {
      throw new IOException(host + ":" + port + " offers no AUTH PLAIN or LOGIN after STARTTLS ("
          + (mechanisms.isEmpty() ? "no AUTH at all" : mechanisms) + "); unset FLOWWATCH_SMTP_USER if it needs no"
          + " login");
    }
  }

  private static boolean offers(List<String> ext, String keyword) {
    return ext.stream().anyMatch(l -> l.toUpperCase(Locale.ROOT).equals(keyword)
        || l.toUpperCase(Locale.ROOT).startsWith(keyword + " "));
  }

  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  /** A line starting with '.' gets one more, so the server never reads it as the end (RFC 5321 4.5.2). */
  static String dotStuffed(String data) {
    String text = data.endsWith("\r\n") ? data.substring(0, data.length() - 2) : data;
    StringBuilder out = new StringBuilder(text.length() + 16);
    for (String line : text.split("\r\n", -1)) {
      out.append(line.startsWith(".") ? "." : "").append(line).append("\r\n");
    }
    return out.toString();
  }

  /** One socket's command and reply lines. */
  private final class Conversation {
    private final BufferedReader in;
    private final OutputStream out;

    Conversation(Socket s) throws IOException {
      this.in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
      this.out = s.getOutputStream();
    }

    List<String> command(String line, String what, int... ok) throws IOException {
      raw(line + "\r\n");
      return expect(what, ok);
    }

    /** A command whose text must not appear in any error: only {@code what} is named. */
    void secret(String line, String what, int ok) throws IOException {
      raw(line + "\r\n");
      expect(what, ok);
    }

    void raw(String text) throws IOException {
      out.write(text.getBytes(StandardCharsets.UTF_8));
      out.flush();
    }

    /** Reads a (multi-line) reply; returns its texts without the code, the greeting line first. */
    List<String> expect(String what, int... ok) throws IOException {
      List<String> texts = new ArrayList<>();
      String line;
      int code;
      do {
        line = in.readLine();
        if (line == null) {
          throw new IOException(host + ":" + port + " closed the connection waiting for the answer to " + what);
        }
        if (line.length() < 3 || !line.substring(0, 3).chars().allMatch(Character::isDigit)) {
          throw new IOException(host + ":" + port + " does not speak SMTP: it answered '" + shorten(line) + "' to "
              + what);
        }
        code = Integer.parseInt(line.substring(0, 3));
        texts.add(line.length() > 4 ? line.substring(4) : "");
      } while (line.length() > 3 && line.charAt(3) == '-');
      for (int c : ok) {
        if (c == code) {
          return texts;
        }
      }
      throw new IOException(host + ":" + port + " refused " + what + ": " + code + " " + shorten(String.join(" ",
          texts)));
    }
  }

  private static String shorten(String s) {
    return s.length() > 200 ? s.substring(0, 200) + "…" : s;
  }
}
