package org.flowwatch.ops;

import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.flowwatch.ledger.RunState;

/**
 * Renders the agent's metrics in the Prometheus text exposition format (version 0.0.4). Every series a
 * dashboard uses is present from the first scrape (a state with no directories is 0, not absent), so
 * graphs and alerts do not depend on something having happened first. Times are Unix seconds; 0 means
 * "never".
 */
public final class PrometheusText {
  public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
  /** Complete directories waiting for a start: what a stuck agent piles up. SETTLING is still being written. */
  public static final Set<RunState> BACKLOG = Set.of(RunState.READY, RunState.HELD);
  /** Outcomes shown even before the first start, so rates start at 0. */
  private static final Set<String> OUTCOMES = Set.of("started", "answer_lost", "not_started", "rejected");

  private PrometheusText() {}

  public static String render(AgentMetrics.Snapshot s, Map<RunState, Integer> byState) {
    StringBuilder out = new StringBuilder(4096);
    header(out, "flowwatch_run_directories", "gauge", "Run directories in the ledger, by state.");
    int backlog = 0;
    for (RunState state : RunState.values()) {
      int n = byState.getOrDefault(state, 0);
      sample(out, "flowwatch_run_directories", "state", state.name(), n);
      backlog += BACKLOG.contains(state) ? n : 0;
    }
    header(out, "flowwatch_backlog", "gauge", "Complete run directories waiting for a start (READY and HELD).");
    sample(out, "flowwatch_backlog", null, null, backlog);

    header(out, "flowwatch_starts_total", "counter", "Start requests and reconciles of lost answers, by outcome.");
    java.util.TreeMap<String, Long> outcomes = new java.util.TreeMap<>(s.startsByOutcome());
    OUTCOMES.forEach(o -> outcomes.putIfAbsent(o, 0L));
    outcomes.forEach((o, n) -> sample(out, "flowwatch_starts_total", "outcome", o, n));
    header(out, "flowwatch_start_failures_total", "counter",
        "Start requests the service refused or did not answer, by error class.");
    new java.util.TreeMap<>(s.failuresByClass()).forEach((c, n) -> sample(out, "flowwatch_start_failures_total",
        "class", c, n));
    histogram(out, "flowwatch_start_latency_seconds",
        "Time a start request that started a run took, from being sent to its answer.",
        s.startSeconds());
    histogram(out, "flowwatch_scan_duration_seconds", "Time a full scan of the watch directory took.",
        s.scanSeconds());

    header(out, "flowwatch_last_scan_timestamp_seconds", "gauge", "When the last full scan finished (0: never).");
    sample(out, "flowwatch_last_scan_timestamp_seconds", null, null, seconds(s.lastScan()));
    header(out, "flowwatch_last_poll_timestamp_seconds", "gauge",
        "When the Flows service last answered a status poll (0: never).");
    sample(out, "flowwatch_last_poll_timestamp_seconds", null, null, seconds(s.lastPoll()));
    header(out, "flowwatch_starts_paused_until_timestamp_seconds", "gauge",
        "Until when every start waits (rate limit, credentials, consent); 0 when starts are not paused.");
    sample(out, "flowwatch_starts_paused_until_timestamp_seconds", null, null, seconds(s.pausedUntil()));
    header(out, "flowwatch_agent_start_timestamp_seconds", "gauge", "When this agent process started.");
    sample(out, "flowwatch_agent_start_timestamp_seconds", null, null, seconds(s.since()));
    header(out, "flowwatch_healthy", "gauge", "1 when /healthz answers 200.");
    sample(out, "flowwatch_healthy", null, null, Health.live(s).ok() ? 1 : 0);
    header(out, "flowwatch_ready", "gauge", "1 when /readyz answers 200.");
    sample(out, "flowwatch_ready", null, null, Health.ready(s).ok() ? 1 : 0);
    return out.toString();
  }

  private static void histogram(StringBuilder out, String name, String help, Histogram.Values v) {
    header(out, name, "histogram", help);
    for (int i = 0; i < v.bounds().length; i++) {
      sample(out, name + "_bucket", "le", number(v.bounds()[i]), v.cumulative()[i]);
    }
    sample(out, name + "_bucket", "le", "+Inf", v.count());
    sample(out, name + "_sum", null, null, v.sum());
    sample(out, name + "_count", null, null, v.count());
  }

  private static void header(StringBuilder out, String name, String type, String help) {
    out.append("# HELP ").append(name).append(' ').append(help).append('\n');
    out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
  }

  private static void sample(StringBuilder out, String name, String label, String value, double n) {
    out.append(name);
    if (label != null) {
      out.append('{').append(label).append("=\"").append(escape(value)).append("\"}");
    }
    out.append(' ').append(number(n)).append('\n');
  }

  private static String number(double n) {
    if (n == Math.rint(n) && Math.abs(n) < 1e15) {
      return Long.toString((long) n);
    }
    // Plain decimals: a timestamp keeps its milliseconds, and no exponent surprises a reader of the text.
    return java.math.BigDecimal.valueOf(n).stripTrailingZeros().toPlainString();
  }

  private static double seconds(Instant t) {
    return t == null ? 0 : t.toEpochMilli() / 1000.0;
  }

  /** Label values escape backslash, double quote and line feed, as the format requires. */
  static String escape(String v) {
    return v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }
}
