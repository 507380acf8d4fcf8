package org.flowwatch.watch;

import java.time.Duration;
import java.util.Objects;
import org.flowwatch.notify.RunEvents;

/**
 * Knobs of the agent that are not in the config file.
 *
 * @param startGrace how long a start whose answer was lost may take to show up in the service's run list
 *     before the agent concludes it never happened and starts again
 * @param statusPoll how often active runs are polled, overriding {@code watch.status_poll}; null keeps it
 * @param events told of every transition the agent applies and every pause of its starts (notifications)
 */
public record AgentOptions(Duration startGrace, Duration statusPoll, RunEvents events) {
  public static final AgentOptions DEFAULT = new AgentOptions(Duration.ofSeconds(90), null);

  public AgentOptions {
    Objects.requireNonNull(startGrace, "startGrace");
    events = events == null ? RunEvents.NONE : events;
  }

  /** Options that report to no one. */
  public AgentOptions(Duration startGrace, Duration statusPoll) {
    this(startGrace, statusPoll, RunEvents.NONE);
  }

  /** The same options, reporting to {@code to}. */
  public AgentOptions withEvents(RunEvents to) {
    return new AgentOptions(startGrace, statusPoll, to);
  }
}
