package org.flowwatch.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which directories are run directories and what is counted in them.
 *
 * @param pattern the whole directory name must match; its named groups become run facts
 *     ({@code run(?<number>\d+)} gives {@code run.number})
 * @param counts fact name to glob, matched against paths relative to the run directory
 *     ({@code segments: "*.evt"} gives {@code run.segments})
 */
public record RunDirectoryConfig(Pattern pattern, Map<String, String> counts) {
  /** Fact names (after {@code run.}) flowwatch computes itself; count names and pattern groups must not shadow them. */
  public static final Set<String> BUILT_IN_FACTS =
      Set.of("name", "path", "files", "file_count", "size", "collection", "collection_id", "globus_path");

  public RunDirectoryConfig {
    Objects.requireNonNull(pattern, "pattern");
    counts = Collections.unmodifiableMap(new LinkedHashMap<>(counts == null ? Map.of() : counts));
  }

  /** True when a directory name is a run directory name. */
  public boolean matches(String directoryName) {
    return pattern.matcher(directoryName).matches();
  }
}
