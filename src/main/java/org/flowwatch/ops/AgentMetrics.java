package org.flowwatch.ops;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the agent loop reports about itself, for {@code /metrics}, {@code /healthz}, {@code /readyz} and
 * the {@code agent.status} file. The agent thread writes it with one call per event (a scan done, a poll
 * done, a start's outcome); readers take a {@link #snapshot} at any time from any thread. Nothing here
 * touches a file, the network or the ledger: measuring must never slow the loop down.
 */
public final class AgentMetrics {
  /** Scans of an idle watch directory take milliseconds; a large catch-up or a slow file server, seconds. */
  private static final double[] SCAN_BUCKETS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60};
  /** A start batch is two ledger commits and the service's answer: a fraction of a second to tens of seconds. */
  private static final double[] START_BUCKETS = {0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120};

  private final Clock clock;
  private final Histogram scans = new Histogram(SCAN_BUCKETS);
  private final Histogram starts = new Histogram(START_BUCKETS);
  private final Map<String, Long> startsByOutcome = new TreeMap<>();
  private final Map<String, Long> failuresByClass = new TreeMap<>();
  private final Instant since;
  private Duration scanInterval = Duration.ofSeconds(10);
  private boolean looping;
  private Instant loopEnded;
  private Instant lastScan;
  private Instant lastPoll;
  private String lastPassFailure;
  private Instant pausedUntil;
  private String pauseReason;
  private String credentialProblem;
  private String configProblem;

  public AgentMetrics(Clock clock) {
    this.clock = clock;
    this.since = clock.instant();
  }

  public Clock clock() {
    return clock;
  }

  /** The loop runs from now on, scanning every {@code interval}. */
  public synchronized void loopStarted(Duration interval) {
    looping = true;
    loopEnded = null;
    scanInterval = interval;
  }

  /** The scan interval of a reloaded config. */
  public synchronized void scanInterval(Duration interval) {
    scanInterval = interval;
  }

  /** The loop returned: the agent is stopping, or died. */
  public synchronized void loopStopped() {
    looping = false;
    loopEnded = clock.instant();
  }

  /** A full scan finished after {@code took}. */
  public void scanned(Duration took) {
    scans.observe(took);
    synchronized (this) {
      lastScan = clock.instant();
      lastPassFailure = null;
    }
  }

  /** A pass failed before its scan finished; the loop goes on and tries again. */
  public synchronized void passFailed(String why) {
    lastPassFailure = why;
  }

  /** The service answered a status poll. */
  public synchronized void polled() {
    lastPoll = clock.instant();
  }

  /** One start or reconcile came to {@code outcome} (started, answer_lost, not_started, rejected, ...). */
  public synchronized void startOutcome(String outcome) {
    startsByOutcome.merge(outcome, 1L, Long::sum);
  }

  /** A start request that started a run took {@code took}, from being sent to its answer. */
  public void startLatency(Duration took) {
    starts.observe(took);
  }

  /**
   * A start failed with an error of class {@code failureClass} (rate_limited, consent_required, ...).
   *
   * @param credentials the failure says the credentials or consents do not work: not ready until a start
   *     succeeds again
   */
  public synchronized void startFailed(String failureClass, String message, boolean credentials) {
    failuresByClass.merge(failureClass, 1L, Long::sum);
    if (credentials) {
      credentialProblem = failureClass + ": " + message;
    }
  }

  /** A run started: the credentials work. */
  public synchronized void credentialsWorked() {
    credentialProblem = null;
  }

  /** Every start waits until {@code until} because of {@code why}. */
  public synchronized void paused(Instant until, String why) {
    if (pausedUntil == null || until.isAfter(pausedUntil)) {
      pausedUntil = until;
      pauseReason = why;
    }
  }

  /** Why nothing can start with the config in force; null once a config without that problem is loaded. */
  public synchronized void configProblem(String problem) {
    configProblem = problem;
  }

  /** Everything at one moment, consistent with itself. */
  public Snapshot snapshot() {
    Histogram.Values scanValues = scans.values();
    Histogram.Values startValues = starts.values();
    synchronized (this) {
      Instant now = clock.instant();
      Instant paused = pausedUntil != null && pausedUntil.isAfter(now) ? pausedUntil : null;
      return new Snapshot(now, since, scanInterval, looping, loopEnded, lastScan, lastPoll, lastPassFailure,
          paused, paused == null ? null : pauseReason, credentialProblem, configProblem,
          Map.copyOf(startsByOutcome), Map.copyOf(failuresByClass), scanValues, startValues);
    }
  }

  /**
   * The agent's vitals at {@code at}.
   *
   * @param pausedUntil when starts may go again, or null when they are not paused
   */
  public record Snapshot(Instant at, Instant since, Duration scanInterval, boolean looping, Instant loopEnded,
      Instant lastScan, Instant lastPoll, String lastPassFailure, Instant pausedUntil, String pauseReason,
      String credentialProblem, String configProblem, Map<String, Long> startsByOutcome,
      Map<String, Long> failuresByClass, Histogram.Values scanSeconds, Histogram.Values startSeconds) {}
}
