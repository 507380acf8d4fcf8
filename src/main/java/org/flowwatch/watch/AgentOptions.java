package org.flowwatch.watch;

import java.time.Duration;
import java.util.Objects;

/**
 * Knobs of the agent that are not in the config file.
 *
 * @param startGrace how long a start whose answer was lost may take to show up in the service's run list
 *     before the agent concludes it never happened and starts again
 * @param firstPoll first status poll of an active run; later polls back off to {@code maxPoll}
 * @param maxPoll longest wait between status polls of one run
 */
public record AgentOptions(Duration startGrace, Duration firstPoll, Duration maxPoll) {
  public static final AgentOptions DEFAULT =
      new AgentOptions(Duration.ofSeconds(90), Duration.ofSeconds(30), Duration.ofMinutes(10));

  public AgentOptions {
    Objects.requireNonNull(startGrace, "startGrace");
    Objects.requireNonNull(firstPoll, "firstPoll");
    Objects.requireNonNull(maxPoll, "maxPoll");
  }
}
