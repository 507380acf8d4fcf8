package org.flowwatch.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The notify: section and flow.notification_policy. */
class NotifySectionTest {
  private static final String BASE = """
      flow:
        schema: schema.json
      run_directory:
        pattern: 'run(?<number>\\d+)'
      input: {}
      """;

  @TempDir Path dir;
  private Path config;

  @BeforeEach
  void files() throws IOException {
    Files.writeString(dir.resolve("schema.json"), "{}");
    config = dir.resolve("flowwatch.yaml");
  }

  private Config load(String extra, Map<String, String> env) throws IOException {
    Files.writeString(config, BASE + extra);
    return new ConfigLoader(env).load(config);
  }

  private String failure(String extra) throws IOException {
    Files.writeString(config, BASE + extra);
    return assertThrows(ConfigException.class, () -> new ConfigLoader(Map.of()).load(config)).getMessage();
  }

  @Test
  void withoutANotifySectionNothingIsSent() throws IOException {
    NotifyConfig n = load("", Map.of()).notifications();
    assertFalse(n.enabled());
    assertNull(load("", Map.of()).flow().notificationPolicy());
  }

  @Test
  void everyKeyIsRead() throws IOException {
    NotifyConfig n = load("""
        notify:
          webhook: {url: "${HOOK}"}
          email:
            smtp_host: smtp.example.org
            smtp_port: 587
            from: flowwatch@dtn01.example.org
            to: [daq-oncall@example.org, pi@example.org]
          command:
            argv: [/usr/local/bin/page-oncall, --team, daq]
            timeout: 10s
          on: [failed, LOST, CREDENTIALS]
          held_after: 45m
          digest: 2m
        """, Map.of("HOOK", "https://hooks.slack.com/services/T0/B0/x")).notifications();
    assertEquals(URI.create("https://hooks.slack.com/services/T0/B0/x"), n.webhookUrl());
    assertEquals(new NotifyConfig.Email("smtp.example.org", 587, "flowwatch@dtn01.example.org",
        List.of("daq-oncall@example.org", "pi@example.org")), n.email());
    assertEquals(new NotifyConfig.Command(List.of("/usr/local/bin/page-oncall", "--team", "daq"),
        Duration.ofSeconds(10)), n.command());
    assertEquals(Set.of("FAILED", "LOST", "CREDENTIALS"), n.on());
    assertEquals(Duration.ofMinutes(45), n.heldAfter());
    assertEquals(Duration.ofMinutes(2), n.digest());
  }

  @Test
  void defaultsTellWhatNeedsAPersonWithinAMinute() throws IOException {
    NotifyConfig n = load("notify:\n  command: {argv: [/bin/true]}\n", Map.of()).notifications();
    assertEquals(List.of("FAILED", "INVALID", "INACTIVE", "HELD", "LOST", "CREDENTIALS", "PAUSED"),
        List.copyOf(n.on()));
    assertEquals(Duration.ofMinutes(30), n.heldAfter());
    assertEquals(Duration.ofSeconds(60), n.digest());
    assertEquals(Duration.ofSeconds(30), n.command().timeout());
    NotifyConfig mail = load("notify:\n  email: {smtp_host: localhost, from: a@b.org, to: [c@d.org]}\n", Map.of())
        .notifications();
    assertEquals(25, mail.email().smtpPort());
  }

  @Test
  void eachMistakeIsOneMessageAtItsLine() throws IOException {
    assertEquals(config + ":7:3: notify: names no channel: set notify.webhook.url, notify.email or notify.command"
        + " (or remove notify:)", failure("notify:\n  digest: 10s\n"));
    assertEquals(config + ":7:14: notify.on[1]: unknown event 'FIALED' (did you mean 'FAILED'?); expected some of:"
        + " FAILED, INVALID, INACTIVE, HELD, LOST, CREDENTIALS, PAUSED, SUCCEEDED, ENDED",
        failure("notify:\n  on: [LOST, FIALED]\n  command: {argv: [/bin/true]}\n"));
    assertEquals(config + ":8:10: notify.webhook.url: expected an http:// or https:// URL with a host (for example a"
        + " Slack incoming webhook, https://hooks.slack.com/services/...)",
        failure("notify:\n  webhook:\n    url: hooks.slack.com/services/x\n"));
    assertEquals(config + ":8:33: notify.email.to[0]: expected a plain e-mail address such as"
        + " flowwatch@dtn.example.org, got 'DAQ on call'",
        failure("notify:\n  email:\n    {smtp_host: localhost, to: [DAQ on call], from: a@b.org}\n"));
    assertEquals(config + ":7:3: notify.email: missing required key 'from'",
        failure("notify:\n  email:\n    smtp_host: localhost\n    to: [a@b.org]\n"));
    assertEquals(config + ":8:16: notify.email.smtp_host: expected a host name or address, got 'smtp.x.org:587';"
        + " put the port in notify.email.smtp_port",
        failure("notify:\n  email:\n    smtp_host: smtp.x.org:587\n    from: a@b.org\n    to: [c@d.org]\n"));
    assertEquals(config + ":8:11: notify.command.argv: expected the program and its arguments as a list, such as"
        + " [/usr/local/bin/page-oncall, --team, daq]; no shell reads it",
        failure("notify:\n  command:\n    argv: []\n"));
    assertEquals(config + ":7:3: notify.password: unknown key; expected one of: on, held_after, digest, webhook,"
        + " email, command", failure("notify:\n  password: x\n  command: {argv: [/bin/true]}\n"));
    assertEquals(config + ":7:15: notify.held_after: must be at least 1s, got 0ms",
        failure("notify:\n  held_after: 0s\n  command: {argv: [/bin/true]}\n"));
  }

  @Test
  void theNotificationPolicyIsReadAsGlobusTakesIt() throws IOException {
    String flow = BASE.replace("  schema: schema.json\n", "  schema: schema.json\n  notification_policy: {status: [failed,"
        + " INACTIVE]}\n");
    Files.writeString(config, flow);
    assertEquals(List.of("FAILED", "INACTIVE"), new ConfigLoader(Map.of()).load(config).flow().notificationPolicy());
    Files.writeString(config, flow.replace("[failed, INACTIVE]", "[]"));
    assertEquals(List.of(), new ConfigLoader(Map.of()).load(config).flow().notificationPolicy());
    Files.writeString(config, flow.replace("[failed, INACTIVE]", "[FAILED, ACTIVE]"));
    assertEquals(config + ":3:42: flow.notification_policy.status[1]: Globus notifies only on INACTIVE, FAILED and"
        + " SUCCEEDED, got 'ACTIVE'",
        assertThrows(ConfigException.class, () -> new ConfigLoader(Map.of()).load(config)).getMessage());
  }
}
