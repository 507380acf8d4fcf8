package org.flowwatch.config;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * How the agent ({@code --watchdir}) decides that a run directory is complete and how fast it starts runs.
 *
 * @param readiness the policies that must all hold before a run starts: {@code settle}, {@code sentinel},
 *     {@code manifest}
 * @param triggerDelay settle: how long the directory tree must stay unchanged, compared scan to scan
 * @param scanInterval how often the watch directory is scanned in full (events only wake a scan early)
 * @param sentinel sentinel: a file or directory name that must exist inside the run directory
 * @param manifestGlob manifest: which files count (relative glob; without '/' it matches names at any depth)
 * @param manifestCount manifest: how many files must match {@code manifestGlob}
 * @param maxActiveRuns at most this many runs ACTIVE or INACTIVE at the service at once
 * @param maxStartsPerMinute at most this many starts in any minute
 * @param concurrentStarts at most this many start requests out at once (in groups of half, one fsync each)
 * @param statusPoll how often the agent asks the service for its active runs (one list call)
 * @param heartbeat how often the agent logs one line with the run directories by state, busy or idle
 */
public record WatchConfig(
    List<String> readiness,
    Duration triggerDelay,
    Duration scanInterval,
    String sentinel,
    String manifestGlob,
    int manifestCount,
    int maxActiveRuns,
    int maxStartsPerMinute,
    int concurrentStarts,
    Duration statusPoll,
    Duration heartbeat) {

  public static final Set<String> POLICIES = Set.of("settle", "sentinel", "manifest");
  public static final WatchConfig DEFAULT =
      new WatchConfig(List.of("settle"), Duration.ofSeconds(30), Duration.ofSeconds(10), null, null, 0, 20, 30, 8,
          Duration.ofSeconds(30), Duration.ofMinutes(15));
  /** More requests out at once than this gains nothing and only looks like a flood to the service. */
  public static final int MAX_CONCURRENT_STARTS = 64;

  public WatchConfig {
    readiness = List.copyOf(readiness);
    Objects.requireNonNull(triggerDelay, "trigger_delay");
    Objects.requireNonNull(scanInterval, "scan_interval");
    Objects.requireNonNull(statusPoll, "status_poll");
    Objects.requireNonNull(heartbeat, "heartbeat");
  }

  /** Settings with the default heartbeat. */
  public WatchConfig(List<String> readiness, Duration triggerDelay, Duration scanInterval, String sentinel,
      String manifestGlob, int manifestCount, int maxActiveRuns, int maxStartsPerMinute, int concurrentStarts,
      Duration statusPoll) {
    this(readiness, triggerDelay, scanInterval, sentinel, manifestGlob, manifestCount, maxActiveRuns,
        maxStartsPerMinute, concurrentStarts, statusPoll, DEFAULT_HEARTBEAT);
  }

  public static final Duration DEFAULT_HEARTBEAT = Duration.ofMinutes(15);

  public boolean uses(String policy) {
    return readiness.contains(policy);
  }

  /** The same settings with another settle period (FRIB's --trigger-delay option). */
  public WatchConfig withTriggerDelay(Duration delay) {
    return new WatchConfig(readiness, delay, scanInterval, sentinel, manifestGlob, manifestCount, maxActiveRuns,
        maxStartsPerMinute, concurrentStarts, statusPoll, heartbeat);
  }

  /** The same settings judged by other policies (a dry run's one look cannot judge settle). */
  public WatchConfig withReadiness(List<String> policies) {
    return new WatchConfig(policies, triggerDelay, scanInterval, sentinel, manifestGlob, manifestCount, maxActiveRuns,
        maxStartsPerMinute, concurrentStarts, statusPoll, heartbeat);
  }
}
