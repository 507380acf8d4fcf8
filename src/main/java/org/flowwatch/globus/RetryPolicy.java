package org.flowwatch.globus;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import org.flowwatch.config.Durations;
import org.slf4j.LoggerFactory;

/**
 * When and how long to wait before repeating a call that is safe to repeat. Mirrors the Python SDK: up to
 * 5 retries on network errors and 429/500/502/503/504, exponential backoff with jitter capped at 10 s,
 * and the server's Retry-After on 429/503.
 *
 * @param maxRetries retries after the first attempt
 * @param baseDelay the wait before the first retry, before jitter
 * @param maxDelay cap on a backoff wait
 * @param maxRetryAfter a Retry-After longer than this is not waited out: the call fails at once with the
 *     wait in the exception, so a long-running caller can schedule it instead of blocking a thread
 */
public record RetryPolicy(int maxRetries, Duration baseDelay, Duration maxDelay, Duration maxRetryAfter, Duration budget) {

  /** Every call's total time, across its retries, unless FLOWWATCH_CALL_BUDGET says otherwise. */
  public static final Duration DEFAULT_BUDGET = Duration.ofSeconds(60);
  /** The environment variable that sets the budget, as a flowwatch duration (60s, 2m). */
  public static final String BUDGET_VARIABLE = "FLOWWATCH_CALL_BUDGET";

  public static final RetryPolicy DEFAULT =
      new RetryPolicy(5, Duration.ofMillis(500), Duration.ofSeconds(10), Duration.ofMinutes(1));

  /** A policy with the budget the environment sets (or the default). */
  public RetryPolicy(int maxRetries, Duration baseDelay, Duration maxDelay, Duration maxRetryAfter) {
    this(maxRetries, baseDelay, maxDelay, maxRetryAfter, callBudget(System.getenv()));
  }

  public RetryPolicy {
    if (maxRetries < 0) {
      throw new IllegalArgumentException("maxRetries must be >= 0, got " + maxRetries);
    }
    Objects.requireNonNull(baseDelay, "baseDelay");
    Objects.requireNonNull(maxDelay, "maxDelay");
    Objects.requireNonNull(maxRetryAfter, "maxRetryAfter");
    if (budget == null || budget.isNegative() || budget.isZero()) {
      throw new IllegalArgumentException("budget must be positive, got " + budget);
    }
    if (baseDelay.isNegative() || maxDelay.compareTo(baseDelay) < 0) {
      throw new IllegalArgumentException("need 0 <= baseDelay <= maxDelay, got " + baseDelay + ", " + maxDelay);
    }
  }

  /** The first attempt plus the retries. */
  public int maxAttempts() {
    return maxRetries + 1;
  }

  /** Status codes worth repeating a safe call for. */
  public boolean isRetryable(int status) {
    return status == 429 || status == 500 || status == 502 || status == 503 || status == 504;
  }

  /** Status codes whose Retry-After header is honoured. */
  public boolean honoursRetryAfter(int status) {
    return status == 429 || status == 503;
  }

  /**
   * The wait before retry number {@code retry} (1-based): {@code baseDelay * 2^(retry-1)} capped at
   * {@code maxDelay}, then scaled into its upper half by {@code random} so that clients that failed
   * together do not retry together.
   *
   * @param random a number in [0, 1)
   */
  public Duration backoff(int retry, double random) {
    if (retry < 1) {
      throw new IllegalArgumentException("retry is 1-based, got " + retry);
    }
    long base = baseDelay.toMillis();
    long max = maxDelay.toMillis();
    long exponential = retry > 30 ? max : Math.min(max, base << (retry - 1));
    double factor = 0.5 + 0.5 * Math.min(Math.max(random, 0.0), 1.0);
    return Duration.ofMillis(Math.round(exponential * factor));
  }

  /**
   * A Retry-After header as a duration, or null when absent or not the integer-seconds form Globus uses
   * (the HTTP-date form then falls back to backoff).
   */
  static Duration parseRetryAfter(String header) {
    if (header == null) {
      return null;
    }
    try {
      long seconds = Long.parseLong(header.trim());
      return seconds < 0 ? null : Duration.ofSeconds(seconds);
    } catch (NumberFormatException e) {
      return null;
    }
  }
  /** The budget {@code env} sets, or the default; a value that is not a positive duration is ignored. */
  static Duration callBudget(Map<String, String> env) {
    String set = env.get(BUDGET_VARIABLE);
    if (set == null || set.isBlank()) {
      return DEFAULT_BUDGET;
    }
    Duration d = Durations.parse(set);
    if (d == null || d.isZero()) {
      LoggerFactory.getLogger(RetryPolicy.class).warn("{}={} is not a duration such as 60s or 2m; using {}", BUDGET_VARIABLE, set, Durations.spoken(DEFAULT_BUDGET));
      return DEFAULT_BUDGET;
    }
    return d;
  }

}
