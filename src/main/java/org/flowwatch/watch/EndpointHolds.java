package org.flowwatch.watch;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.flowwatch.config.ComputeConfig;
import org.flowwatch.globus.GlobusException;
import org.flowwatch.globus.compute.ComputeClient;
import org.flowwatch.globus.compute.EndpointStatus;
import org.flowwatch.ledger.RunRecord;
import org.flowwatch.ledger.RunState;
import org.flowwatch.ledger.Transition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds starts while a Compute endpoint the flow needs is offline: a run started then would sit waiting
 * for it, or fail, and FRIB's script simply lost such runs. READY rows go to HELD, and back to READY once
 * every endpoint is online. The answer is cached for a minute, so a burst of starts costs one status call
 * per endpoint.
 */
final class EndpointHolds {
  private static final Logger log = LoggerFactory.getLogger(EndpointHolds.class);
  private static final Duration CACHE = Duration.ofMinutes(1);

  private final ComputeClient compute;
  private final Collection<ComputeConfig.Endpoint> endpoints;
  private final Clock clock;
  private Instant checkedAt = Instant.MIN;
  private Optional<String> blocker = Optional.empty();

  EndpointHolds(ComputeClient compute, Collection<ComputeConfig.Endpoint> endpoints, Clock clock) {
    this.compute = compute;
    this.endpoints = endpoints;
    this.clock = clock;
  }

  /**
   * The transitions that hold {@code ready} rows, or release {@code held} ones, given the endpoints now.
   * Asks the service only when some row waits.
   */
  List<Transition> moves(List<RunRecord> ready, List<RunRecord> held) {
    if (ready.isEmpty() && held.isEmpty()) {
      return List.of();
    }
    Optional<String> why = blocker();
    List<Transition> moves = new ArrayList<>();
    for (RunRecord r : why.isPresent() ? ready : held) {
      moves.add(why.isPresent()
          ? Transition.of(r.key(), RunState.HELD).from(RunState.READY).error(why.get()).reason(why.get())
          : Transition.of(r.key(), RunState.READY).from(RunState.HELD).clearError()
              .reason("Compute endpoints are online again"));
    }
    return moves;
  }

  /** Why starts must wait now, or empty when every endpoint is online (or there are none to check). */
  Optional<String> blocker() {
    if (compute == null || endpoints.isEmpty()) {
      return Optional.empty();
    }
    Instant now = clock.instant();
    if (now.isBefore(checkedAt.plus(CACHE))) {
      return blocker;
    }
    List<String> offline = new ArrayList<>();
    for (ComputeConfig.Endpoint e : endpoints) {
      try {
        EndpointStatus s = compute.endpointStatus(e.id());
        if (!s.online()) {
          offline.add((s.name() != null ? s.name() : e.key()) + " (" + e.id() + ") is " + s.status()
              + (s.hostname() == null ? "" : " on " + s.hostname()));
        }
      } catch (GlobusException ex) {
        // Not knowing is not a reason to hold every run: say so and let the flow deal with it.
        log.warn("cannot check Compute endpoint {} ({}): {}", e.key(), e.id(), ex.getMessage());
      }
    }
    checkedAt = now;
    Optional<String> before = blocker;
    blocker = offline.isEmpty() ? Optional.empty()
        : Optional.of("Compute endpoint " + String.join(", ", offline) + "; held until it is online again"
            + " (restart it with ep_launch/gce restart)");
    if (!blocker.equals(before)) {
      blocker.ifPresentOrElse(b -> log.warn("starts held: {}", b), () -> log.info("all Compute endpoints online"));
    }
    return blocker;
  }
}
