package org.flowwatch.notify;

import static org.flowwatch.notify.NotifierTest.waitFor;
import static org.flowwatch.notify.Receivers.FAST;
import static org.flowwatch.notify.Receivers.RUN_ID;
import static org.flowwatch.notify.Receivers.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLSocketFactory;
import org.flowwatch.config.ConfigException;
import org.flowwatch.config.NotifyConfig;
import org.flowwatch.ledger.RunState;
import org.flowwatch.testing.LogCapture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Mail through a real SMTP server started by the test: plain relay, and STARTTLS with a login. */
class EmailNotificationTest {
  private static final String PASSWORD = "pw-Zq81-never-logged";

  @TempDir Path dir;
  private Notifier notifier;

  @AfterEach
  void close() {
    if (notifier != null) {
      notifier.close();
    }
  }

  private static NotifyConfig mailTo(int port, Duration digest) {
    return new NotifyConfig(NotifyConfig.DEFAULT_ON, Duration.ofMinutes(30), digest, null,
        new NotifyConfig.Email("127.0.0.1", port, "flowwatch@dtn01.example.org",
            List.of("daq-oncall@example.org", "pi@example.org")), null);
  }

  private Notifier start(NotifyConfig config, Map<String, String> env, SSLSocketFactory tls) {
    notifier = Notifier.start(config, dir.resolve("rawdata"), env, Clock.systemUTC(), FAST, tls);
    return notifier;
  }

  /** The mail's text: its body is base64 UTF-8 after the blank line. */
  private static String body(JsonNode mail) {
    String data = mail.get("data").asText().replace("\r\n", "\n");
    String b64 = data.substring(data.indexOf("\n\n") + 2).replace("\n", "");
    return new String(Base64.getDecoder().decode(b64), StandardCharsets.UTF_8);
  }

  @Test
  void aFailedRunIsMailedToEveryAddressThroughAPlainRelay() throws Exception {
    try (SmtpSink smtp = SmtpSink.plain(dir)) {
      start(mailTo(smtp.port, Duration.ZERO), Map.of(), (SSLSocketFactory) SSLSocketFactory.getDefault());

      notifier.applied(row("run1217", RunState.FAILED, RUN_ID, "ActionFailedException: fit exited 1"), null);

      waitFor(() -> !list(smtp).isEmpty(), () -> "no mail arrived");
      JsonNode mail = smtp.received().get(0);
      assertEquals("flowwatch@dtn01.example.org", mail.get("mail_from").asText());
      assertEquals("[\"daq-oncall@example.org\",\"pi@example.org\"]", mail.get("rcpt_tos").toString());
      assertFalse(mail.get("tls").asBoolean());
      String data = mail.get("data").asText();
      assertTrue(data.contains("Subject: flowwatch: run1217 FAILED\r\n"), data);
      assertTrue(data.contains("To: daq-oncall@example.org, pi@example.org\r\n"), data);
      String text = body(mail);
      assertTrue(text.contains("run1217 is FAILED"), text);
      assertTrue(text.contains("Run: " + RUN_ID + " https://app.globus.org/runs/" + RUN_ID), text);
      assertTrue(text.contains("fit exited 1"), text);
    }
  }

  @Test
  void aBurstIsOneMail() throws Exception {
    try (SmtpSink smtp = SmtpSink.plain(dir)) {
      start(mailTo(smtp.port, Duration.ofSeconds(1)), Map.of(), (SSLSocketFactory) SSLSocketFactory.getDefault());

      for (int i = 0; i < 120; i++) {
        notifier.applied(row(String.format("run%04d", i), i % 2 == 0 ? RunState.FAILED : RunState.LOST, RUN_ID,
            "it went wrong"), null);
      }

      waitFor(() -> !list(smtp).isEmpty(), () -> "no mail arrived");
      Thread.sleep(2000);
      List<JsonNode> mails = smtp.received();
      assertEquals(1, mails.size(), "one mail for the whole burst");
      assertTrue(mails.get(0).get("data").asText().contains("Subject: flowwatch: 120 events (FAILED 60, LOST 60)"));
    }
  }

  @Test
  void aLoginFromTheEnvironmentGoesOverStartTlsOnly() throws Exception {
    SmtpSink.Tls tls = new SmtpSink.Tls(dir);
    try (SmtpSink smtp = SmtpSink.withTlsAndLogin(dir, tls, "flowwatch", PASSWORD);
        LogCapture logs = new LogCapture("flowwatch.notify")) {
      start(mailTo(smtp.port, Duration.ZERO),
          Map.of("FLOWWATCH_SMTP_USER", "flowwatch", "FLOWWATCH_SMTP_PASSWORD", PASSWORD), tls.trusting);

      notifier.applied(row("run1217", RunState.INACTIVE, RUN_ID, "ConsentRequired; grant consent"), null);

      waitFor(() -> !list(smtp).isEmpty(), logs::all);
      JsonNode mail = smtp.received().get(0);
      assertTrue(mail.get("tls").asBoolean(), "the mail did not go over TLS");
      assertEquals("flowwatch", mail.get("user").asText());
      assertFalse(logs.all().contains(PASSWORD), logs.all());
    }
  }

  @Test
  void aLoginIsNeverSentToAServerWithoutStartTls() throws Exception {
    try (SmtpSink smtp = SmtpSink.plain(dir); LogCapture logs = new LogCapture("flowwatch.notify")) {
      start(mailTo(smtp.port, Duration.ZERO),
          Map.of("FLOWWATCH_SMTP_USER", "flowwatch", "FLOWWATCH_SMTP_PASSWORD", PASSWORD),
          (SSLSocketFactory) SSLSocketFactory.getDefault());

      notifier.applied(row("run1217", RunState.FAILED, RUN_ID, "fit exited 1"), null);

      waitFor(() -> logs.all().contains("gave up"), logs::all);
      assertTrue(logs.all().contains("does not offer STARTTLS"), logs.all());
      assertTrue(smtp.received().isEmpty(), "a mail went out without the TLS its login needs");
      assertFalse(logs.all().contains(PASSWORD), logs.all());
    }
  }

  @Test
  void aServerWhoseCertificateIsNotTrustedGetsNoMailAndTheWarningSaysWhy() throws Exception {
    SmtpSink.Tls tls = new SmtpSink.Tls(dir);
    try (SmtpSink smtp = SmtpSink.withTlsAndLogin(dir, tls, "flowwatch", PASSWORD);
        LogCapture logs = new LogCapture("flowwatch.notify")) {
      // The JDK's own trust store does not know the test's self-signed certificate.
      start(mailTo(smtp.port, Duration.ZERO),
          Map.of("FLOWWATCH_SMTP_USER", "flowwatch", "FLOWWATCH_SMTP_PASSWORD", PASSWORD),
          (SSLSocketFactory) SSLSocketFactory.getDefault());

      notifier.applied(row("run1217", RunState.FAILED, RUN_ID, "fit exited 1"), null);

      waitFor(() -> logs.all().contains("gave up"), logs::all);
      assertTrue(smtp.received().isEmpty());
      assertTrue(logs.all().contains("WARN could not notify by e-mail via 127.0.0.1:" + smtp.port), logs.all());
      assertFalse(logs.all().contains(PASSWORD), logs.all());
    }
  }

  @Test
  void aTrustedCertificateForAnotherHostIsRefused() throws Exception {
    SmtpSink.Tls tls = new SmtpSink.Tls(dir, "DNS:mail.example.org");
    try (SmtpSink smtp = SmtpSink.withTlsAndLogin(dir, tls, "flowwatch", PASSWORD);
        LogCapture logs = new LogCapture("flowwatch.notify")) {
      start(mailTo(smtp.port, Duration.ZERO),
          Map.of("FLOWWATCH_SMTP_USER", "flowwatch", "FLOWWATCH_SMTP_PASSWORD", PASSWORD), tls.trusting);

      notifier.applied(row("run1217", RunState.FAILED, RUN_ID, "fit exited 1"), null);

      waitFor(() -> logs.all().contains("gave up"), logs::all);
      assertTrue(smtp.received().isEmpty(), "the password went to a server whose certificate names another host");
    }
  }

  @Test
  void aHalfSetLoginIsAConfigurationError() {
    ConfigException e = assertThrows(ConfigException.class, () -> start(mailTo(25, Duration.ZERO),
        Map.of("FLOWWATCH_SMTP_USER", "flowwatch"), (SSLSocketFactory) SSLSocketFactory.getDefault()));
    assertEquals("notify.email: FLOWWATCH_SMTP_PASSWORD is not set but FLOWWATCH_SMTP_USER is: set both for an SMTP"
        + " login, or neither for a relay that needs none", e.getMessage());
  }

  private static List<JsonNode> list(SmtpSink smtp) {
    try {
      return smtp.received();
    } catch (java.io.IOException e) {
      return List.of();
    }
  }
}
