package org.flowwatch.globus.compute;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Registers a function with Globus Compute only when needed: when flowwatch never registered this source
 * file's function with this service, when the source changed since, or when the config names an id other
 * than the one flowwatch got for this exact source (someone registered it elsewhere).
 */
public final class FunctionRegistrar {

  /** What {@link #register} did. */
  public enum Outcome { REGISTERED, UNCHANGED }

  /**
   * @param functionId the id to use from now on
   * @param outcome whether it was registered now or the recorded one still holds
   * @param previousId the id used before (the config's, else the recorded one), or null
   */
  public record Result(UUID functionId, Outcome outcome, UUID previousId) {}

  private final ComputeClient compute;
  private final RegisteredFunctions registry;
  private final Clock clock;

  public FunctionRegistrar(ComputeClient compute, RegisteredFunctions registry, Clock clock) {
    this.compute = Objects.requireNonNull(compute, "compute");
    this.registry = Objects.requireNonNull(registry, "registry");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * @param source the file the code was read from (its absolute path identifies the registration)
   * @param configuredId the id the config names for this function, or null
   * @param force register even when nothing changed
   */
  public Result register(Path source, FunctionCode code, UUID configuredId, boolean force, String description,
      String pythonVersion) {
    Path file = source.toAbsolutePath().normalize();
    Optional<RegisteredFunctions.Registration> known = registry.find(compute.serviceUrl(), file, code.name());
    UUID previous = configuredId != null ? configuredId : known.map(RegisteredFunctions.Registration::functionId)
        .orElse(null);
    if (!force && known.isPresent() && known.get().sourceSha256().equals(code.sourceSha256())
        && (configuredId == null || configuredId.equals(known.get().functionId()))) {
      return new Result(known.get().functionId(), Outcome.UNCHANGED, previous);
    }
    UUID id = compute.registerFunction(code, description, pythonVersion);
    registry.record(new RegisteredFunctions.Registration(compute.serviceUrl().toString(), file.toString(),
        code.name(), code.sourceSha256(), id, Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString()));
    return new Result(id, Outcome.REGISTERED, previous);
  }
}
