package org.flowwatch.globus.compute;

import java.util.Objects;
import java.util.UUID;

/**
 * A function the Compute service knows.
 *
 * @param id its id
 * @param name the function's name as registered, or null when the answer did not say
 */
public record FunctionInfo(UUID id, String name) {
  public FunctionInfo {
    Objects.requireNonNull(id, "id");
  }
}
