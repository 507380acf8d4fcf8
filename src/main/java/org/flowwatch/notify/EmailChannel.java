package org.flowwatch.notify;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import javax.net.ssl.SSLSocketFactory;
import org.flowwatch.config.NotifyConfig;

/**
 * Mails the message through {@code notify.email.smtp_host}. The login, when wanted, is read from
 * {@code FLOWWATCH_SMTP_USER} and {@code FLOWWATCH_SMTP_PASSWORD}: secrets stay out of the config file, which
 * people paste into tickets.
 */
final class EmailChannel implements Channel {
  static final String USER = "FLOWWATCH_SMTP_USER";
  static final String PASSWORD = "FLOWWATCH_SMTP_PASSWORD";

  private final NotifyConfig.Email email;
  private final SmtpClient smtp;
  private final SmtpClient.Login login;
  private final String host;

  EmailChannel(NotifyConfig.Email email, Map<String, String> env, SSLSocketFactory tls, String host) {
    this.email = email;
    this.host = host;
    this.smtp = new SmtpClient(email.smtpHost(), email.smtpPort(), tls, host);
    String user = env.get(USER);
    String password = env.get(PASSWORD);
    boolean hasUser = user != null && !user.isEmpty();
    boolean hasPassword = password != null && !password.isEmpty();
    if (hasUser != hasPassword) {
      throw new IllegalArgumentException((hasUser ? PASSWORD : USER) + " is not set but " + (hasUser ? USER : PASSWORD)
          + " is: set both for an SMTP login, or neither for a relay that needs none");
    }
    this.login = hasUser ? new SmtpClient.Login(user, password) : null;
  }

  @Override
  public String name() {
    return "e-mail via " + email.smtpHost() + ":" + email.smtpPort();
  }

  @Override
  public void send(Message message) throws IOException {
    smtp.send(email.from(), email.to(), mail(message), login);
  }

  /** The whole mail: headers, then the text in base64 so any name or message survives any relay. */
  String mail(Message message) {
    StringBuilder m = new StringBuilder();
    m.append("From: ").append(email.from()).append("\r\n");
    m.append("To: ").append(String.join(", ", email.to())).append("\r\n");
    m.append("Subject: ").append(header(message.subject())).append("\r\n");
    m.append("Date: ").append(DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC)))
        .append("\r\n");
    m.append("Message-ID: <").append(UUID.randomUUID()).append("@").append(host).append(">\r\n");
    m.append("MIME-Version: 1.0\r\n");
    m.append("Content-Type: text/plain; charset=UTF-8\r\n");
    m.append("Content-Transfer-Encoding: base64\r\n");
    m.append("Auto-Submitted: auto-generated\r\n");
    m.append("\r\n");
    String body = Base64.getMimeEncoder(76, "\r\n".getBytes(StandardCharsets.US_ASCII))
        .encodeToString(message.text().replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8));
    m.append(body).append("\r\n");
    return m.toString();
  }

  /** One header line: line breaks (a directory name may hold one) become spaces; non-ASCII is RFC 2047. */
  static String header(String text) {
    String flat = text.replaceAll("[\\r\\n]+", " ");
    if (flat.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
      return flat;
    }
    return "=?UTF-8?B?" + Base64.getEncoder().encodeToString(flat.getBytes(StandardCharsets.UTF_8)) + "?=";
  }
}
