package org.flowwatch.config;

import java.net.URI;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Where the agent tells people about runs that need them, and which events it tells.
 *
 * @param on the events sent: run states ({@code FAILED}, {@code INVALID}, {@code INACTIVE}, {@code HELD},
 *     {@code LOST}, {@code SUCCEEDED}, {@code ENDED}) and agent-wide ones ({@code CREDENTIALS}: starts
 *     paused on missing consent or refused credentials; {@code PAUSED}: starts paused for another reason)
 * @param heldAfter a HELD directory is told about once it has been HELD this long
 * @param digest events within this window after the first go out as one message
 * @param webhookUrl where a JSON message is POSTed, or null
 * @param email the SMTP server and addresses, or null
 * @param command the program run for each message, or null
 */
public record NotifyConfig(
    Set<String> on,
    Duration heldAfter,
    Duration digest,
    URI webhookUrl,
    Email email,
    Command command) {

  /** Every event name {@code notify.on} may list, in the order they are documented. */
  public static final Set<String> EVENTS = Collections.unmodifiableSet(new LinkedHashSet<>(List.of(
      "FAILED", "INVALID", "INACTIVE", "HELD", "LOST", "CREDENTIALS", "PAUSED", "SUCCEEDED", "ENDED")));
  /** The events that need a person: everything but runs that ended as asked. */
  public static final Set<String> DEFAULT_ON = Collections.unmodifiableSet(new LinkedHashSet<>(List.of(
      "FAILED", "INVALID", "INACTIVE", "HELD", "LOST", "CREDENTIALS", "PAUSED")));
  public static final Duration DEFAULT_HELD_AFTER = Duration.ofMinutes(30);
  public static final Duration DEFAULT_DIGEST = Duration.ofSeconds(60);
  public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofSeconds(30);
  /** No {@code notify:} section: nothing is sent. */
  public static final NotifyConfig NONE = new NotifyConfig(DEFAULT_ON, DEFAULT_HELD_AFTER, DEFAULT_DIGEST, null,
      null, null);

  public NotifyConfig {
    on = Collections.unmodifiableSet(new LinkedHashSet<>(Objects.requireNonNull(on, "on")));
    Objects.requireNonNull(heldAfter, "held_after");
    Objects.requireNonNull(digest, "digest");
  }

  /** True when at least one channel is configured. */
  public boolean enabled() {
    return webhookUrl != null || email != null || command != null;
  }

  /**
   * An SMTP server and the message's addresses. The login, when there is one, comes from the environment
   * ({@code FLOWWATCH_SMTP_USER}, {@code FLOWWATCH_SMTP_PASSWORD}), never from the file.
   */
  public record Email(String smtpHost, int smtpPort, String from, List<String> to) {
    public Email {
      Objects.requireNonNull(smtpHost, "smtp_host");
      Objects.requireNonNull(from, "from");
      to = List.copyOf(to);
      if (to.isEmpty()) {
        throw new IllegalArgumentException("to must name at least one address");
      }
    }
  }

  /** A program and its arguments (no shell), stopped after {@code timeout}. */
  public record Command(List<String> argv, Duration timeout) {
    public Command {
      argv = List.copyOf(argv);
      if (argv.isEmpty()) {
        throw new IllegalArgumentException("argv must name a program");
      }
      Objects.requireNonNull(timeout, "timeout");
    }
  }
}
