package org.flowwatch.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.flowwatch.config.CollectionConfig;
import org.flowwatch.config.Config;
import org.flowwatch.config.RunDirectoryConfig;

/**
 * The facts an input template can name for one run directory, in a fixed order.
 *
 * <p>Facts, in this order:
 *
 * <ul>
 *   <li>{@code run.name} (directory name), {@code run.path} (absolute, normalized, no trailing slash;
 *       symbolic links in it are kept as written so the path stays under the collection's local root)
 *   <li>{@code run.<group>} for each named group of {@code run_directory.pattern}: a value of only
 *       ASCII digits is a number (Long, or BigInteger when too large; leading zeros are dropped, so use
 *       a format such as {@code %04d} to restore them), anything else a String; a group that did not
 *       take part in the match is the empty string
 *   <li>{@code run.files} (List of relative paths, sorted), {@code run.file_count}, {@code run.size}
 *       (bytes) — see {@link RunFiles} for what is listed
 *   <li>{@code run.<count>} for each {@code run_directory.counts} entry (see {@link RunFiles#count})
 *   <li>{@code run.collection}, {@code run.collection_id}, {@code run.globus_path} for the deepest
 *       collection whose local root contains the run
 *   <li>per collection in config order: {@code collections.<name>.id}, {@code collections.<name>.root}
 *       (its Globus root, when it has one) and {@code collections.<name>.run_path} (when the run is
 *       inside its local root)
 *   <li>{@code vars.<key>}: strings, booleans and numbers typed (integers as Long/BigInteger, others as
 *       Double); null, objects and arrays are kept as {@link JsonNode}
 *   <li>{@code flow.id} and {@code flow.title}, when set
 * </ul>
 *
 * @param directory the run directory (absolute, normalized)
 * @param values fact name to value: String, Long, BigInteger, Double, Boolean, List of String or JsonNode
 */
public record RunFacts(Path directory, Map<String, Object> values) {

  public static final String NAME = "run.name";
  public static final String PATH = "run.path";
  public static final String FILES = "run.files";
  public static final String FILE_COUNT = "run.file_count";
  public static final String SIZE = "run.size";
  public static final String COLLECTION = "run.collection";
  public static final String COLLECTION_ID = "run.collection_id";
  public static final String GLOBUS_PATH = "run.globus_path";

  /** The names under {@code run.} that the pattern's groups and the counts must not reuse. */
  public static final Set<String> BUILT_IN_RUN_NAMES = RunDirectoryConfig.BUILT_IN_FACTS;

  // Count names become placeholders such as {run.segments}; keep them to what a placeholder can spell.
  private static final Pattern COUNT_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  private static final Pattern DIGITS = Pattern.compile("[0-9]+");

  public RunFacts {
    Objects.requireNonNull(directory, "directory");
    values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
  }

  /** The value of a fact, or empty when there is no such fact. */
  public Optional<Object> get(String name) {
    return Optional.ofNullable(values.get(name));
  }

  /** All fact names, sorted (for messages). */
  public Set<String> names() {
    return new TreeSet<>(values.keySet());
  }

  /**
   * Collects the facts of one run directory.
   *
   * @throws RunDirectoryException when the directory is missing, unreadable, misnamed, outside every
   *     collection, or when the config's group or count names clash with built-in facts
   */
  public static RunFacts collect(Path runDir, Config config) {
    Path dir = runDir.toAbsolutePath().normalize();
    checkIsReadableDirectory(dir);
    String name = dir.getFileName() == null ? "" : dir.getFileName().toString();
    Map<String, Object> facts = new LinkedHashMap<>();
    facts.put(NAME, name);
    facts.put(PATH, dir.toString());
    putNameGroups(facts, dir, name, config);
    CollectionConfig home = homeCollection(dir, config);
    checkRealPathInsideACollection(dir, config);

    RunFiles files = RunFiles.scan(dir);
    facts.put(FILES, files.paths());
    facts.put(FILE_COUNT, (long) files.files().size());
    facts.put(SIZE, files.totalBytes());
    putCounts(facts, files, config);

    facts.put(COLLECTION, home.name());
    facts.put(COLLECTION_ID, home.id().toString());
    facts.put(GLOBUS_PATH, home.globusPathOf(dir).orElseThrow());
    for (CollectionConfig c : config.collections().values()) {
      String prefix = "collections." + c.name() + ".";
      facts.put(prefix + "id", c.id().toString());
      if (c.globusRoot() != null) {
        facts.put(prefix + "root", c.globusRoot());
      }
      c.globusPathOf(dir).ifPresent(p -> facts.put(prefix + "run_path", p));
    }
    config.vars().forEach((key, value) -> facts.put("vars." + key, scalarOrTree(value)));
    if (config.flow().id() != null) {
      facts.put("flow.id", config.flow().id().toString());
    }
    if (config.flow().title() != null) {
      facts.put("flow.title", config.flow().title());
    }
    return new RunFacts(dir, facts);
  }

  private static void checkIsReadableDirectory(Path dir) {
    if (!Files.exists(dir)) {
      String what = Files.isSymbolicLink(dir) ? " is a symbolic link to nothing" : " does not exist";
      throw new RunDirectoryException("Run directory " + dir + what + ". Check the path (--rundir or"
          + " the watch directory) and that its file system is mounted on this host.");
    }
    if (!Files.isDirectory(dir)) {
      throw new RunDirectoryException("Run directory " + dir + " is not a directory. Give the directory that"
          + " holds the run's files, not a file inside it.");
    }
    try (var entries = Files.list(dir)) {
      entries.findFirst();
    } catch (IOException | SecurityException e) {
      throw new RunDirectoryException("Run directory " + dir + " cannot be read (" + e
          + "). Give the user running flowwatch read and execute permission on it.", e);
    }
  }

  private static void putNameGroups(Map<String, Object> facts, Path dir, String name, Config config) {
    Pattern pattern = config.runDirectory().pattern();
    Matcher m = pattern.matcher(name);
    if (!m.matches()) {
      throw new RunDirectoryException("Run directory name '" + name + "' (" + dir + ") does not match"
          + " run_directory.pattern '" + pattern.pattern() + "' in " + config.file() + ". The whole name"
          + " must match: rename the directory or change the pattern.");
    }
    for (String group : NamedGroups.of(pattern)) {
      if (BUILT_IN_RUN_NAMES.contains(group)) {
        throw new RunDirectoryException("run_directory.pattern '" + pattern.pattern() + "' in " + config.file()
            + " has a group named '" + group + "', which would replace the built-in fact run." + group
            + ". Rename the group; built-in names are " + new TreeSet<>(BUILT_IN_RUN_NAMES) + ".");
      }
      String value = m.group(group);
      facts.put("run." + group, value == null ? "" : typed(value));
    }
  }

  private static Object typed(String value) {
    if (!DIGITS.matcher(value).matches()) {
      return value;
    }
    BigInteger big = new BigInteger(value);
    return big.bitLength() < Long.SIZE ? (Object) big.longValueExact() : big;
  }

  private static void putCounts(Map<String, Object> facts, RunFiles files, Config config) {
    for (Map.Entry<String, String> count : config.runDirectory().counts().entrySet()) {
      String name = count.getKey();
      String where = "run_directory.counts." + name + " in " + config.file();
      if (!COUNT_NAME.matcher(name).matches()) {
        throw new RunDirectoryException(where + ": the name must be letters, digits and '_' (not starting"
            + " with a digit) so that {run." + name + "} can be written in a template. Rename it.");
      }
      if (BUILT_IN_RUN_NAMES.contains(name) || facts.containsKey("run." + name)) {
        throw new RunDirectoryException(where + ": run." + name + " is already a fact ("
            + (BUILT_IN_RUN_NAMES.contains(name) ? "built in" : "a group of run_directory.pattern")
            + "). Rename the count.");
      }
      try {
        facts.put("run." + name, files.count(count.getValue()));
      } catch (IllegalArgumentException e) {
        throw new RunDirectoryException(where + ": '" + count.getValue() + "' is not a valid glob ("
            + e.getMessage() + "). Fix the glob, e.g. \"*.evt\".", e);
      }
    }
  }

  private static CollectionConfig homeCollection(Path dir, Config config) {
    return config.collectionContaining(dir).orElseThrow(() -> new RunDirectoryException(
        "Run directory " + dir + " is outside the local_root of every collection in " + config.file()
            + " (" + describeRoots(config) + "). Add a collection whose local_root contains " + dir
            + ", or set local_root of the collection the run is in."));
  }

  /**
   * The data a flow would move is where the directory really is: a symbolic link (the run directory or
   * any directory above it) must not lead out of every collection's local root.
   */
  private static void checkRealPathInsideACollection(Path dir, Config config) {
    Path real;
    try {
      real = dir.toRealPath();
    } catch (IOException e) {
      throw new RunDirectoryException("Run directory " + dir + " cannot be resolved to its real path ("
          + e.getMessage() + "). Check the path and its symbolic links.", e);
    }
    if (real.equals(dir)) {
      return;
    }
    for (CollectionConfig c : config.collections().values()) {
      if (c.localRoot() != null && (real.startsWith(c.localRoot()) || real.startsWith(realOf(c.localRoot())))) {
        return;
      }
    }
    throw new RunDirectoryException("Run directory " + dir + " is a symbolic link to " + real + ", outside the"
        + " local_root of every collection in " + config.file() + " (" + describeRoots(config) + "); nothing"
        + " outside a collection is started. Move the data under a local_root, or point the link inside one.");
  }

  private static Path realOf(Path p) {
    try {
      return p.toRealPath();
    } catch (IOException e) {
      return p;
    }
  }

  private static String describeRoots(Config config) {
    if (config.collections().isEmpty()) {
      return "no collections are configured";
    }
    return config.collections().values().stream()
        .map(c -> c.name() + ": " + (c.localRoot() == null ? "no local_root" : "local_root " + c.localRoot()))
        .collect(Collectors.joining(", "));
  }

  private static Object scalarOrTree(JsonNode value) {
    if (value == null || value.isNull() || value.isContainerNode()) {
      return value == null ? NullNode.getInstance() : value.deepCopy();
    }
    if (value.isTextual()) {
      return value.textValue();
    }
    if (value.isBoolean()) {
      return value.booleanValue();
    }
    if (value.isIntegralNumber()) {
      return value.canConvertToLong() ? (Object) value.longValue() : value.bigIntegerValue();
    }
    if (value.isNumber()) {
      return value.doubleValue();
    }
    return value.deepCopy(); // binary, POJO and missing nodes: pass through untouched
  }
}
