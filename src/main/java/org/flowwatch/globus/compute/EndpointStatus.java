package org.flowwatch.globus.compute;

import java.util.Locale;
import java.util.Objects;
import java.util.UUID;

/**
 * What the Compute service says about one endpoint right now.
 *
 * @param id the endpoint id
 * @param name the endpoint's name (what {@code globus-compute-endpoint configure NAME} created), or null
 * @param hostname the host the endpoint process runs on, or null when the service does not say
 * @param status the service's word for its state, lower case: {@code online}, {@code offline}, or another
 */
public record EndpointStatus(UUID id, String name, String hostname, String status) {
  public EndpointStatus {
    Objects.requireNonNull(id, "id");
    status = status == null || status.isBlank() ? "unknown" : status.toLowerCase(Locale.ROOT);
  }

  /** True only when the service says {@code online}: tasks sent now will be picked up. */
  public boolean online() {
    return "online".equals(status);
  }
}
