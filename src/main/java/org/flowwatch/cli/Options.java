package org.flowwatch.cli;

import java.time.Duration;
import org.flowwatch.config.Durations;
import org.flowwatch.watch.AgentOptions;
import org.flowwatch.watch.StartOptions;

/** Turns the parsed top-level command into the one options value the start use-cases take. */
final class Options {
  /** How often a hand start asks its local run whether it ended. */
  private static final Duration LOCAL_WAIT = Duration.ofMillis(200);

  private Options() {}

  /**
   * Only after {@link FlowwatchCommand}'s own checks of option combinations.
   *
   * @param local runs execute in this process (the local engine)
   */
  static StartOptions from(FlowwatchCommand c, boolean local) {
    Duration delay = c.triggerDelay == null ? null : Durations.parse(c.triggerDelay);
    return new StartOptions(c.config, delay, c.stateDirectory, c.watchDirectory, c.runDirectory, c.once,
        // A local run executes in the process that starts it: a hand start stays with it to the end, and
        // follows it closely (the run is on this machine, so asking costs nothing).
        c.pollOnly, c.again, c.force, c.waitForRun || local, local ? LOCAL_WAIT : c.waitInterval,
        new AgentOptions(c.startGrace, c.statusPoll), c.http);
  }
}
