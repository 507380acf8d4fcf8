package org.flowwatch.cli;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.flowwatch.config.ComputeConfig;
import org.flowwatch.config.ConfigException;
import org.flowwatch.globus.compute.FunctionCode;

/**
 * A function named on the command line: a {@code compute.functions} key of the config, or {@code FILE:NAME}
 * (which still belongs to a config entry when one has the same file and function).
 *
 * @param label how messages and the result line name it: the key, else FILE:NAME
 * @param key the config key, or null
 * @param source the Python file (absolute)
 * @param function the top-level function's name
 * @param configuredId the id the config names for it, or null
 */
record FunctionTarget(String label, String key, Path source, String function, UUID configuredId) {

  /** Every config function when {@code names} is empty, else each name resolved. */
  static List<FunctionTarget> resolve(List<String> names, ComputeConfig compute) {
    List<FunctionTarget> targets = new ArrayList<>();
    if (names.isEmpty()) {
      compute.functions().values().forEach(f -> targets.add(of(f)));
      if (targets.isEmpty()) {
        throw new UsageException("the config has no compute.functions entries; name one as FILE:NAME"
            + " (for example src/main/python/pipeline.py:fit)");
      }
      return targets;
    }
    for (String name : names) {
      ComputeConfig.Function byKey = compute.functions().get(name);
      if (byKey != null) {
        targets.add(of(byKey));
      } else {
        targets.add(fromFileAndName(name, compute));
      }
    }
    return targets;
  }

  private static FunctionTarget of(ComputeConfig.Function f) {
    return new FunctionTarget(f.key(), f.key(), f.source().toAbsolutePath().normalize(), f.function(), f.id());
  }

  private static FunctionTarget fromFileAndName(String text, ComputeConfig compute) {
    int colon = text.lastIndexOf(':');
    if (colon <= 0 || colon == text.length() - 1) {
      String known = compute.functions().isEmpty() ? "none" : String.join(", ", compute.functions().keySet());
      throw new UsageException("'" + text + "' is neither a compute.functions key of the config (known: " + known
          + ") nor FILE:NAME");
    }
    Path source = Path.of(text.substring(0, colon)).toAbsolutePath().normalize();
    String function = text.substring(colon + 1);
    for (ComputeConfig.Function f : compute.functions().values()) {
      if (f.function().equals(function) && f.source().toAbsolutePath().normalize().equals(source)) {
        return new FunctionTarget(text, f.key(), source, function, f.id());
      }
    }
    return new FunctionTarget(text, null, source, function, null);
  }

  /**
   * The function's code, read from its file.
   *
   * @throws UsageException or ConfigException (by where the name came from) when the file is unreadable or
   *     does not define the function at top level
   */
  FunctionCode read() {
    String text;
    try {
      text = Files.readString(source, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw problem(source + ": no such file");
    } catch (CharacterCodingException e) {
      throw problem(source + ": not UTF-8 text");
    } catch (IOException e) {
      throw problem(source + ": cannot read it (" + e.getMessage() + ")");
    }
    FunctionCode code;
    try {
      code = new FunctionCode(function, text);
    } catch (IllegalArgumentException e) {
      throw problem(label + ": " + e.getMessage());
    }
    if (!code.definesFunction()) {
      throw problem(source + " defines no top-level function '" + function + "'; Globus Compute runs the whole"
          + " file and then looks the function up by that name");
    }
    return code;
  }

  private RuntimeException problem(String message) {
    return key == null ? new UsageException(message) : new ConfigException("compute.functions." + key + ": " + message);
  }
}
