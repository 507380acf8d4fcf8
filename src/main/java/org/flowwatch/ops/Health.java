package org.flowwatch.ops;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The answers of {@code /healthz} (is the loop alive and scanning?) and {@code /readyz} (can it start
 * runs?), from one {@link AgentMetrics.Snapshot}. Liveness allows {@link #SCAN_INTERVALS} scan intervals
 * between successful scans, and never less than {@link #AT_LEAST}: a pass also sends starts and polls,
 * whose calls may take tens of seconds before their timeouts, and a restart for that would only hurt.
 */
public final class Health {
  public static final int SCAN_INTERVALS = 3;
  public static final Duration AT_LEAST = Duration.ofSeconds(60);

  private Health() {}

  /** @param ok 200 when true, 503 when false; {@code text} says why, in one line */
  public record Verdict(boolean ok, String text) {
    public int status() {
      return ok ? 200 : 503;
    }
  }

  /** How long the loop may go without a successful scan and still be healthy. */
  public static Duration staleAfter(Duration scanInterval) {
    Duration d = scanInterval.multipliedBy(SCAN_INTERVALS);
    return d.compareTo(AT_LEAST) < 0 ? AT_LEAST : d;
  }

  public static Verdict live(AgentMetrics.Snapshot s) {
    if (!s.looping()) {
      return new Verdict(false, "the agent loop is not running" + (s.loopEnded() == null ? " yet"
          : " (it stopped at " + s.loopEnded() + ")"));
    }
    Duration limit = staleAfter(s.scanInterval());
    Instant last = s.lastScan() == null ? s.since() : s.lastScan();
    Duration quiet = Duration.between(last, s.at());
    if (quiet.compareTo(limit) > 0) {
      return new Verdict(false, (s.lastScan() == null ? "no scan has finished since the agent started at "
          + s.since() : "the last successful scan was at " + s.lastScan()) + ", " + quiet.toSeconds()
          + "s ago, more than " + limit.toSeconds() + "s (" + SCAN_INTERVALS + " scan intervals, at least "
          + AT_LEAST.toSeconds() + "s)" + (s.lastPassFailure() == null ? "" : "; the last pass failed: "
          + s.lastPassFailure()));
    }
    return new Verdict(true, "ok: " + (s.lastScan() == null ? "starting, no scan finished yet"
        : "last scan at " + s.lastScan()));
  }

  public static Verdict ready(AgentMetrics.Snapshot s) {
    List<String> why = new ArrayList<>();
    if (s.configProblem() != null) {
      why.add("configuration problem: " + s.configProblem());
    }
    if (s.credentialProblem() != null) {
      why.add("the last start failed on credentials or consent (" + s.credentialProblem() + ")");
    }
    if (s.pausedUntil() != null) {
      why.add("starts are paused until " + s.pausedUntil() + (s.pauseReason() == null ? "" : ": "
          + s.pauseReason()));
    }
    if (!s.looping()) {
      why.add("the agent loop is not running");
    }
    return why.isEmpty() ? new Verdict(true, "ok: starts are not paused and the credentials work")
        : new Verdict(false, String.join("; ", why));
  }
}
