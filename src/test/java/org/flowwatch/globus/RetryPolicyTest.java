package org.flowwatch.globus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

  private final RetryPolicy policy = RetryPolicy.DEFAULT;

  @Test
  void allowsFiveRetriesAfterTheFirstAttempt() {
    assertEquals(6, policy.maxAttempts());
  }

  @Test
  void backoffDoublesWithJitterInItsUpperHalf() {
    assertEquals(Duration.ofMillis(500), policy.backoff(1, 0.999999));
    assertEquals(Duration.ofMillis(250), policy.backoff(1, 0.0));
    assertEquals(Duration.ofMillis(1000), policy.backoff(2, 0.999999));
    assertEquals(Duration.ofMillis(2000), policy.backoff(3, 0.999999));
  }

  @Test
  void backoffIsCappedAtTenSecondsEvenWithJitter() {
    for (int retry = 1; retry <= 40; retry++) {
      assertTrue(policy.backoff(retry, 0.999999).compareTo(Duration.ofSeconds(10)) <= 0, "retry " + retry);
    }
    assertEquals(Duration.ofSeconds(10), policy.backoff(6, 0.999999));
  }

  @Test
  void retriesOnlyTransientStatuses() {
    for (int status : new int[] {429, 500, 502, 503, 504}) {
      assertTrue(policy.isRetryable(status), "status " + status);
    }
    for (int status : new int[] {400, 401, 403, 404, 409, 422, 501}) {
      assertFalse(policy.isRetryable(status), "status " + status);
    }
    assertTrue(policy.honoursRetryAfter(429));
    assertTrue(policy.honoursRetryAfter(503));
    assertFalse(policy.honoursRetryAfter(502));
  }

  @Test
  void readsRetryAfterAsIntegerSeconds() {
    assertEquals(Duration.ofSeconds(7), RetryPolicy.parseRetryAfter("7"));
    assertEquals(Duration.ZERO, RetryPolicy.parseRetryAfter(" 0 "));
    assertNull(RetryPolicy.parseRetryAfter("Wed, 21 Oct 2026 07:28:00 GMT"));
    assertNull(RetryPolicy.parseRetryAfter("-3"));
    assertNull(RetryPolicy.parseRetryAfter(null));
  }
}
