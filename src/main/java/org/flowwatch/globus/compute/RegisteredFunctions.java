package org.flowwatch.globus.compute;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.flowwatch.config.AtomicFile;
import org.flowwatch.config.StateLayout;
import org.flowwatch.globus.GlobusHttp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What flowwatch registered with Globus Compute, so an unchanged source is not registered again:
 * {@code <state dir>/compute-functions.json}, one entry per (service, source file, function) with the
 * SHA-256 of the source and the function id it got.
 *
 * <p>It is a cache, not a ledger: when it is missing or unreadable the next registration simply happens
 * again (a new id, which is harmless), so problems with it are logged, never fatal.
 */
public final class RegisteredFunctions {

  private static final Logger log = LoggerFactory.getLogger(RegisteredFunctions.class);

  /**
   * One registration.
   *
   * @param service the Compute service base URL it was registered with
   * @param source the absolute path of the source file
   * @param function the function's name in it
   * @param sourceSha256 SHA-256 of the source text registered
   * @param functionId the id the service gave it
   * @param registeredAt when (ISO-8601)
   */
  public record Registration(
      String service, String source, String function, String sourceSha256, UUID functionId, String registeredAt) {}

  /** The file's layout. */
  record FileContent(List<Registration> registrations) {}

  private final Path file;
  private final ObjectMapper mapper = GlobusHttp.newMapper();

  public RegisteredFunctions(Path file) {
    this.file = Objects.requireNonNull(file, "file").toAbsolutePath();
  }

  /** {@code <state dir>/compute-functions.json} for this environment. */
  public static RegisteredFunctions forEnvironment(Map<String, String> env) {
    return new RegisteredFunctions(StateLayout.forEnvironment(env).computeFunctions());
  }

  public Path file() {
    return file;
  }

  public Optional<Registration> find(URI service, Path source, String function) {
    String key = key(service, source, function);
    return read().stream().filter(r -> key(r).equals(key)).reduce((first, last) -> last);
  }

  /** Records {@code registration}, replacing an earlier one for the same service, source and function. */
  public void record(Registration registration) {
    List<Registration> all = new ArrayList<>(read());
    all.removeIf(r -> key(r).equals(key(registration)));
    all.add(registration);
    try {
      Files.createDirectories(file.getParent());
      AtomicFile.replace(file, mapper.writerWithDefaultPrettyPrinter().writeValueAsBytes(new FileContent(all)),
          null, written -> { });
    } catch (IOException e) {
      log.warn("Could not remember the registration of {} in {} ({}); the next run registers it again",
          registration.function(), file, e.getMessage());
    }
  }

  private List<Registration> read() {
    try {
      FileContent content = mapper.readValue(Files.readAllBytes(file), FileContent.class);
      return content == null || content.registrations() == null ? List.of() : content.registrations();
    } catch (NoSuchFileException e) {
      return List.of();
    } catch (IOException e) {
      log.warn("Ignoring {}: it cannot be read ({}); functions will be registered again", file, e.getMessage());
      return List.of();
    }
  }

  private static String key(Registration r) {
    return r.service() + "\n" + r.source() + "\n" + r.function();
  }

  private static String key(URI service, Path source, String function) {
    return service + "\n" + source.toAbsolutePath().normalize() + "\n" + function;
  }
}
