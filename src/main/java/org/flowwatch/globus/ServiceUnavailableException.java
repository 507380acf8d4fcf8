package org.flowwatch.globus;

import java.time.Duration;
import java.util.Optional;

/**
 * The service could not be reached or kept failing (5xx, network errors, timeouts on safe calls).
 * Transient: trying again later is the fix.
 */
public class ServiceUnavailableException extends GlobusException {
  private static final long serialVersionUID = 1L;

  private final boolean nothingSent;
  private final Duration retryAfter;

  /**
   * @param nothingSent true only when the request certainly never left this host (connection refused,
   *     unknown host), so a non-repeatable call such as a run start is known not to have happened
   */
  public ServiceUnavailableException(
      String action, String reason, String remedy, boolean nothingSent, Duration retryAfter, Throwable cause) {
    super(action, reason, remedy, cause);
    this.nothingSent = nothingSent;
    this.retryAfter = retryAfter;
  }

  /** True when the request certainly never reached the service. */
  public boolean nothingSent() {
    return nothingSent;
  }

  /** How long the service asked us to wait (503 with Retry-After), when it said. */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }
}
