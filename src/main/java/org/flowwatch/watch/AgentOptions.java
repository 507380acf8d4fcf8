package org.flowwatch.watch;

import java.time.Duration;
import java.util.Objects;

/**
 * Knobs of the agent that are not in the config file.
 *
 * @param startGrace how long a start whose answer was lost may take to show up in the service's run list
 *     before the agent concludes it never happened and starts again
 * @param statusPoll how often active runs are polled, overriding {@code watch.status_poll}; null keeps it
 */
public record AgentOptions(Duration startGrace, Duration statusPoll) {
  public static final AgentOptions DEFAULT = new AgentOptions(Duration.ofSeconds(90), null);

  public AgentOptions {
    Objects.requireNonNull(startGrace, "startGrace");
  }
}
