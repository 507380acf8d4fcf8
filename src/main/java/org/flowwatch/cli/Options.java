package org.flowwatch.cli;

import java.time.Duration;
import org.flowwatch.config.Durations;
import org.flowwatch.watch.AgentOptions;
import org.flowwatch.watch.StartOptions;

/** Turns the parsed top-level command into the one options value the start use-cases take. */
final class Options {
  private Options() {}

  /** Only after {@link FlowwatchCommand}'s own checks of option combinations. */
  static StartOptions from(FlowwatchCommand c) {
    Duration delay = c.triggerDelay == null ? null : Durations.parse(c.triggerDelay);
    return new StartOptions(c.config, delay, c.stateDirectory, c.watchDirectory, c.runDirectory, c.once,
        // A local run executes in the process that starts it: a hand start stays with it to the end.
        c.pollOnly, c.again, c.force, c.waitForRun || c.engine == FlowwatchCommand.Engine.local, c.waitInterval,
        new AgentOptions(c.startGrace, c.statusPoll), c.http);
  }
}
