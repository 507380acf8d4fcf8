package org.flowwatch.watch;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.StringJoiner;
import java.util.function.Supplier;
import org.flowwatch.ledger.RunState;
import org.flowwatch.ops.AgentMetrics;
import org.flowwatch.ops.AgentStatus;
import org.flowwatch.ops.IgnoredNames;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the agent tells the outside between passes, on its own thread: the heartbeat line every {@code
 * watch.heartbeat}, the {@code agent.status} file every {@link AgentStatus#WRITE_EVERY}, and {@code
 * ignored.json} when the ignored names changed. A file that cannot be written is a warning, never a stop.
 */
final class AgentReports {
  private static final Logger heartbeatLog = LoggerFactory.getLogger("flowwatch.heartbeat");
  private static final Logger log = LoggerFactory.getLogger(AgentReports.class);

  private final Clock clock;
  private final AgentMetrics metrics;
  private final IgnoredNames ignored;
  private final Path root;
  private final long pid = ProcessHandle.current().pid();
  private final String host = hostName();
  private Path statusFile;
  private Path ignoredFile;
  private String http;
  private Instant nextBeat;
  private Instant nextStatus = Instant.MIN;
  private boolean warned;

  AgentReports(Clock clock, AgentMetrics metrics, IgnoredNames ignored, Path root) {
    this.clock = clock;
    this.metrics = metrics;
    this.ignored = ignored;
    this.root = root;
  }

  /** Where to write the status and ignored files; without this call neither is written. */
  void files(Path status, Path ignoredNames, String httpAddress) {
    this.statusFile = status;
    this.ignoredFile = ignoredNames;
    this.http = httpAddress;
  }

  /**
   * Beats when a heartbeat is due (the first one {@code every} after the first pass) and writes the files
   * when they are due.
   */
  void afterPass(Duration every, Supplier<Map<RunState, Integer>> byState) {
    Instant now = clock.instant();
    if (nextBeat == null) {
      nextBeat = now.plus(every);
    } else if (!now.isBefore(nextBeat)) {
      nextBeat = now.plus(every);
      try {
        beat(byState.get());
      } catch (RuntimeException e) {
        // A busy or broken ledger costs this heartbeat, never the loop: the pass says so at ERROR itself.
        heartbeatLog.warn("heartbeat: cannot count the run directories by state: {}", e.getMessage());
      }
    }
    if (!now.isBefore(nextStatus)) {
      nextStatus = now.plus(AgentStatus.WRITE_EVERY);
      write(null);
    }
  }

  /** The loop ended (or a --once pass is done): the files say so now. */
  void stopped() {
    write(clock.instant());
  }

  private void beat(Map<RunState, Integer> byState) {
    AgentMetrics.Snapshot s = metrics.snapshot();
    StringJoiner states = new StringJoiner(", ");
    int total = 0;
    var event = heartbeatLog.atInfo();
    for (Map.Entry<RunState, Integer> e : byState.entrySet()) {
      total += e.getValue();
      event = event.addKeyValue(e.getKey().name().toLowerCase(java.util.Locale.ROOT), e.getValue());
      if (e.getValue() > 0) {
        states.add(e.getKey() + " " + e.getValue());
      }
    }
    event.log("heartbeat: {} run director{} ({}); last scan {}, last poll {}{}", total, total == 1 ? "y" : "ies",
        total == 0 ? "none yet" : states.toString(), orNever(s.lastScan()), orNever(s.lastPoll()),
        s.pausedUntil() == null ? "" : "; starts paused until " + s.pausedUntil());
  }

  private static String orNever(Instant t) {
    return t == null ? "never" : t.toString();
  }

  private void write(Instant stoppedAt) {
    if (statusFile == null) {
      return;
    }
    AgentMetrics.Snapshot s = metrics.snapshot();
    try {
      new AgentStatus(pid, host, root.toString(), s.since(), s.at(), s.lastScan(), s.lastPoll(), stoppedAt, http)
          .write(statusFile);
      ignored.saveIfChanged(ignoredFile);
      warned = false;
    } catch (IOException | RuntimeException e) {
      if (!warned) {
        log.warn("cannot write {} or {}: {}; 'flowwatch status' will not show this agent's last scan and"
            + " ignored names until it can", statusFile, ignoredFile, e.toString());
        warned = true;
      }
    }
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "unknown host";
    }
  }
}
