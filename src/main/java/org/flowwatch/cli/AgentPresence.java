package org.flowwatch.cli;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.flowwatch.config.StateLayout;
import org.flowwatch.ops.AgentStatus;
import org.flowwatch.text.Printable;
import org.flowwatch.watch.AgentLock;

/**
 * The line {@code status} prints about the agent of a state directory: running (who holds the ledger's
 * lock, and when it last scanned and polled, from {@code agent.status}) or not, and then when it last ran.
 * The lock decides "running"; the status file only adds times, since a killed agent leaves it behind.
 */
final class AgentPresence {
  private AgentPresence() {}

  static String describe(StateLayout state, Instant now) {
    Optional<String> holder = AgentLock.holder(state.directory());
    Optional<AgentStatus> status;
    try {
      status = AgentStatus.read(state.agentStatus());
    } catch (IOException | RuntimeException e) {
      status = Optional.empty();
    }
    if (holder.isPresent()) {
      return "agent: running (" + Printable.line(holder.get()) + ")" + status.map(s -> "; " + times(s, now))
          .orElse("; it has not reported a scan yet");
    }
    if (status.isEmpty()) {
      return "agent: not running; no agent has run with the state directory " + state.directory();
    }
    AgentStatus s = status.get();
    String who = "pid " + s.pid() + " on " + Printable.line(String.valueOf(s.host()));
    String ended = s.stoppedAt() != null ? "stopped at " + s.stoppedAt() + " (" + ago(s.stoppedAt(), now) + ")"
        : "ended without stopping cleanly (killed?) after " + s.updatedAt() + " (" + ago(s.updatedAt(), now) + ")";
    return "agent: not running; it last ran as " + who + " from " + s.since() + ", " + ended + "; " + times(s, now);
  }

  private static String times(AgentStatus s, Instant now) {
    return "last scan " + at(s.lastScan(), now) + ", last poll " + at(s.lastPoll(), now);
  }

  private static String at(Instant t, Instant now) {
    return t == null ? "never" : t + " (" + ago(t, now) + ")";
  }

  static String ago(Instant t, Instant now) {
    Duration d = Duration.between(t, now);
    return d.isNegative() ? "just now" : StatusCommand.age(t, now) + " ago";
  }
}
