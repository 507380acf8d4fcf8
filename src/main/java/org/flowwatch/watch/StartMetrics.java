package org.flowwatch.watch;

import java.util.Locale;
import org.flowwatch.globus.AuthenticationException;
import org.flowwatch.globus.ConsentRequiredException;
import org.flowwatch.globus.ForbiddenException;
import org.flowwatch.globus.MissingCredentialsException;
import org.flowwatch.ops.AgentMetrics;

/** Counts what each start came to in the agent's metrics: by outcome, failures by class, credentials. */
final class StartMetrics {
  private StartMetrics() {}

  static void count(AgentMetrics metrics, StartOutcome o) {
    metrics.startOutcome(o.kind().name().toLowerCase(Locale.ROOT));
    if (o.kind() == StartOutcome.Kind.STARTED) {
      metrics.credentialsWorked();
    }
    if (o.error() != null) {
      metrics.startFailed(failureClass(o.error()), o.error().getMessage(), credentials(o.error()));
    }
    if (o.pauseUntil() != null) {
      metrics.paused(o.pauseUntil(), o.error() == null ? "the service asked to wait" : o.error().getMessage());
    }
  }

  /** The failure's class as a metric label: {@code RateLimitedException} becomes {@code rate_limited}. */
  static String failureClass(Throwable e) {
    String name = e.getClass().getSimpleName().replaceFirst("Exception$", "");
    return name.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
  }

  /** Whether the failure says the credentials or consents do not work, which no retry alone fixes. */
  static boolean credentials(Throwable e) {
    return e instanceof ConsentRequiredException || e instanceof AuthenticationException
        || e instanceof MissingCredentialsException || e instanceof ForbiddenException;
  }
}
