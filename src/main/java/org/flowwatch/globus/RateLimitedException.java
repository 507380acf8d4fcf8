package org.flowwatch.globus;

import java.time.Duration;
import java.util.Optional;

/** HTTP 429: too many requests. Nothing was done; try again after {@link #retryAfter()}. */
public class RateLimitedException extends GlobusException {
  private static final long serialVersionUID = 1L;

  private final Duration retryAfter;

  public RateLimitedException(String action, String reason, Duration retryAfter, Throwable cause) {
    super(action, reason, remedy(retryAfter), cause);
    this.retryAfter = retryAfter;
  }

  /** How long the service asked us to wait, when it said. */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }

  private static String remedy(Duration retryAfter) {
    return retryAfter == null
        ? "Wait a while and try again."
        : "Wait at least " + retryAfter.toSeconds() + " s and try again.";
  }
}
