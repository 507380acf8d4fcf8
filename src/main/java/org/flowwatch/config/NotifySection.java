package org.flowwatch.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** Reads the {@code notify:} section into a {@link NotifyConfig}; each mistake is one message at its line. */
final class NotifySection {
  /** Enough to catch a typo or a name where an address belongs; the SMTP server judges the rest. */
  private static final Pattern ADDRESS = Pattern.compile("[^\\s<>@,;\"]+@[^\\s<>@,;\"]+");

  private NotifySection() {}

  static NotifyConfig parse(ConfigNode n) {
    if (n.isMissing()) {
      return NotifyConfig.NONE;
    }
    n.requireMapping().allowOnly("on", "held_after", "digest", "webhook", "email", "command");
    Set<String> on = on(n.get("on"));
    Duration heldAfter = n.get("held_after").duration(NotifyConfig.DEFAULT_HELD_AFTER);
    if (heldAfter.compareTo(Duration.ofSeconds(1)) < 0) {
      n.get("held_after").fail("must be at least 1s, got " + heldAfter.toMillis() + "ms");
    }
    Duration digest = n.get("digest").duration(NotifyConfig.DEFAULT_DIGEST);
    if (digest.compareTo(Duration.ofHours(1)) > 0) {
      n.get("digest").fail("must be at most 1h (events would wait that long before anyone hears of them), got "
          + digest.toMinutes() + "m");
    }
    NotifyConfig cfg = new NotifyConfig(on, heldAfter, digest, webhook(n.get("webhook")), email(n.get("email")),
        command(n.get("command")));
    if (!cfg.enabled()) {
      n.fail("names no channel: set notify.webhook.url, notify.email or notify.command (or remove notify:)");
    }
    return cfg;
  }

  private static Set<String> on(ConfigNode node) {
    if (node.isMissing()) {
      return NotifyConfig.DEFAULT_ON;
    }
    List<String> names = node.stringList();
    Set<String> out = new LinkedHashSet<>();
    for (int i = 0; i < names.size(); i++) {
      String name = names.get(i).trim().toUpperCase(java.util.Locale.ROOT);
      if (!NotifyConfig.EVENTS.contains(name)) {
        node.element(i).fail("unknown event '" + names.get(i) + "'" + Suggestions.didYouMean(name,
            List.copyOf(NotifyConfig.EVENTS)) + "; expected some of: " + String.join(", ", NotifyConfig.EVENTS));
      }
      out.add(name);
    }
    if (out.isEmpty()) {
      node.fail("lists no event; list some of " + String.join(", ", NotifyConfig.EVENTS)
          + ", or leave notify.on out for the default");
    }
    return out;
  }

  private static URI webhook(ConfigNode w) {
    if (w.isMissing()) {
      return null;
    }
    w.requireMapping().allowOnly("url");
    ConfigNode u = w.get("url").required();
    String text = u.nonBlankString();
    URI uri;
    try {
      uri = new URI(text);
    } catch (URISyntaxException e) {
      // The URL may carry a secret (Slack's do): name the problem, not the whole value.
      return u.fail("is not a valid URL: " + e.getReason());
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
    if (!scheme.equals("https") && !scheme.equals("http") || uri.getHost() == null) {
      u.fail("expected an http:// or https:// URL with a host (for example a Slack incoming webhook,"
          + " https://hooks.slack.com/services/...)");
    }
    return uri;
  }

  private static NotifyConfig.Email email(ConfigNode e) {
    if (e.isMissing()) {
      return null;
    }
    e.requireMapping().allowOnly("smtp_host", "smtp_port", "from", "to");
    String host = e.get("smtp_host").required().nonBlankString();
    if (host.contains("/") || host.contains(":") && !host.startsWith("[")) {
      e.get("smtp_host").fail("expected a host name or address, got '" + host + "'; put the port in"
          + " notify.email.smtp_port");
    }
    int port = e.get("smtp_port").integer(1, 25);
    if (port > 65535) {
      e.get("smtp_port").fail("expected a TCP port (1 to 65535), got " + port);
    }
    if (port == 465) {
      // 465 speaks TLS before SMTP (implicit TLS); flowwatch upgrades a plain connection with STARTTLS.
      e.get("smtp_port").fail("port 465 (TLS from the first byte) is not supported; use the server's submission"
          + " port 587, where flowwatch starts TLS with STARTTLS, or a local relay on 25");
    }
    String from = address(e.get("from").required());
    ConfigNode toNode = e.get("to").required();
    List<String> to = toNode.stringList();
    if (to.isEmpty()) {
      toNode.fail("list at least one address to send to");
    }
    for (int i = 0; i < to.size(); i++) {
      address(toNode.element(i));
    }
    return new NotifyConfig.Email(host, port, from, to);
  }

  private static String address(ConfigNode node) {
    String a = node.nonBlankString().trim();
    if (!ADDRESS.matcher(a).matches()) {
      node.fail("expected a plain e-mail address such as flowwatch@dtn.example.org, got '" + a + "'");
    }
    return a;
  }

  private static NotifyConfig.Command command(ConfigNode c) {
    if (c.isMissing()) {
      return null;
    }
    c.requireMapping().allowOnly("argv", "timeout");
    ConfigNode argvNode = c.get("argv").required();
    List<String> argv = argvNode.stringList();
    if (argv.isEmpty() || argv.get(0).isBlank()) {
      argvNode.fail("expected the program and its arguments as a list, such as [/usr/local/bin/page-oncall,"
          + " --team, daq]; no shell reads it");
    }
    Duration timeout = c.get("timeout").duration(NotifyConfig.DEFAULT_COMMAND_TIMEOUT);
    if (timeout.compareTo(Duration.ofSeconds(1)) < 0) {
      c.get("timeout").fail("must be at least 1s, got " + timeout.toMillis() + "ms");
    }
    return new NotifyConfig.Command(argv, timeout);
  }

  /**
   * {@code flow.notification_policy}: Globus's own {@code activity_notification_policy}, written as the
   * service takes it ({@code status: [FAILED, INACTIVE]}); null when absent.
   */
  static List<String> notificationPolicy(ConfigNode p) {
    if (p.isMissing()) {
      return null;
    }
    p.requireMapping().allowOnly("status");
    ConfigNode status = p.get("status").required();
    List<String> names = status.stringList();
    List<String> out = new java.util.ArrayList<>();
    for (int i = 0; i < names.size(); i++) {
      String name = names.get(i).trim().toUpperCase(java.util.Locale.ROOT);
      if (!FlowConfig.NOTIFICATION_STATUSES.contains(name)) {
        status.element(i).fail("Globus notifies only on INACTIVE, FAILED and SUCCEEDED, got '" + names.get(i) + "'");
      }
      if (!out.contains(name)) {
        out.add(name);
      }
    }
    return out;
  }
}
