package org.flowwatch.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * One value of the config file with everything needed to complain about it precisely: the file, the
 * line and column, and the dotted key ({@code flow.tags[1]}). Reading a string expands {@code ${VAR}}.
 */
final class ConfigNode {
  private static final Pattern UUID_TEXT =
      Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

  private final LocatedYaml doc;
  private final String fileName;
  private final EnvExpander env;
  private final String pointer;
  private final String key;
  private final JsonNode node;

  ConfigNode(LocatedYaml doc, String fileName, EnvExpander env, String pointer, String key, JsonNode node) {
    this.doc = doc;
    this.fileName = fileName;
    this.env = env;
    this.pointer = pointer;
    this.key = key;
    this.node = node;
  }

  String key() {
    return key;
  }

  boolean isMissing() {
    return node == null || node.isMissingNode() || node.isNull();
  }

  ConfigNode get(String name) {
    JsonNode child = node == null ? null : node.get(name);
    String childKey = key.isEmpty() ? name : key + "." + name;
    return new ConfigNode(doc, fileName, env, pointer + "/" + LocatedYaml.escape(name), childKey, child);
  }

  /** Fails on the first key not in {@code allowed}, suggesting the closest allowed one. */
  ConfigNode allowOnly(String... allowed) {
    requireMapping();
    List<String> names = Arrays.asList(allowed);
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      if (!names.contains(name)) {
        get(name).failAtKey("unknown key" + Suggestions.didYouMean(name, names)
            + "; expected one of: " + String.join(", ", names));
      }
    }
    return this;
  }

  /** Whether this value is a mapping (where a key takes either a plain value or a mapping). */
  boolean isMapping() {
    return node != null && node.isObject();
  }

  ConfigNode requireMapping() {
    if (node == null || !node.isObject()) {
      fail("expected a mapping of keys to values, got " + describe());
    }
    return this;
  }

  /** The entries of a mapping, in file order. */
  Map<String, ConfigNode> entries() {
    requireMapping();
    Map<String, ConfigNode> out = new LinkedHashMap<>();
    node.fieldNames().forEachRemaining(n -> out.put(n, get(n)));
    return out;
  }

  ConfigNode required() {
    if (isMissing()) {
      int dot = key.lastIndexOf('.');
      String parentKey = dot < 0 ? "" : key.substring(0, dot);
      JsonLocation loc = doc.keyLocationOf(pointer.substring(0, pointer.lastIndexOf('/')));
      throw new ConfigException(where(loc) + ": " + (parentKey.isEmpty() ? "" : parentKey + ": ")
          + "missing required key '" + key.substring(dot + 1) + "'");
    }
    return this;
  }

  String string() {
    if (isMissing() || !node.isValueNode()) {
      fail("expected a string, got " + describe());
    }
    try {
      return env.expand(node.asText());
    } catch (IllegalArgumentException e) {
      return fail(e.getMessage());
    }
  }

  String optionalString() {
    return isMissing() ? null : string();
  }

  String nonBlankString() {
    String s = string();
    if (s.isBlank()) {
      fail("must not be empty");
    }
    return s;
  }

  UUID uuid() {
    String s = string().trim();
    if (!UUID_TEXT.matcher(s).matches()) {
      fail("expected a UUID such as 9656eff2-8105-445c-8501-154dfe1d88e5, got '" + s + "'");
    }
    return UUID.fromString(s);
  }

  UUID optionalUuid() {
    if (isMissing()) {
      return null;
    }
    return string().isBlank() ? null : uuid();
  }

  boolean bool(boolean defaultValue) {
    if (isMissing()) {
      return defaultValue;
    }
    if (node.isBoolean()) {
      return node.booleanValue();
    }
    String s = node.isTextual() ? string().trim() : "";
    if (s.equals("true") || s.equals("false")) {
      return Boolean.parseBoolean(s);
    }
    return fail("expected true or false, got " + describe());
  }

  /** A whole number of at least {@code min}, or {@code defaultValue} when absent. */
  int integer(int min, int defaultValue) {
    if (isMissing()) {
      return defaultValue;
    }
    int v;
    if (node.isIntegralNumber() && node.canConvertToInt()) {
      v = node.intValue();
    } else if (node.isTextual()) {
      String text = string().trim(); // ${VAR} may supply the number
      try {
        v = Integer.parseInt(text);
      } catch (NumberFormatException e) {
        return fail("expected a whole number, got '" + text + "'");
      }
    } else {
      return fail("expected a whole number, got " + describe());
    }
    if (v < min) {
      fail("must be at least " + min + ", got " + v);
    }
    return v;
  }

  /**
   * A duration: {@code 30s}, {@code 250ms}, {@code 5m}, {@code 2h}, a bare number of seconds, or ISO-8601
   * ({@code PT30S}); {@code defaultValue} when absent.
   */
  Duration duration(Duration defaultValue) {
    if (isMissing()) {
      return defaultValue;
    }
    String s = string().trim();
    Duration d = Durations.parse(s);
    if (d == null) {
      fail("expected a duration such as 30s, 500ms, 5m or 1h, got '" + s + "'");
    }
    return d;
  }

  /** A path; relative paths are resolved against {@code base}. */
  Path path(Path base) {
    String s = nonBlankString();
    try {
      Path p = Path.of(s);
      return (p.isAbsolute() ? p : base.resolve(p)).normalize();
    } catch (InvalidPathException e) {
      return fail("'" + s + "' is not a usable path: " + e.getReason());
    }
  }

  /** A path to a file that must exist and be readable now. */
  Path readableFile(Path base) {
    Path p = path(base);
    if (!Files.exists(p)) {
      fail("cannot read file " + p + ": it does not exist");
    } else if (Files.isDirectory(p)) {
      fail("expected a file but " + p + " is a directory");
    } else if (!Files.isReadable(p)) {
      fail("cannot read file " + p + ": permission denied");
    }
    return p;
  }

  List<String> stringList() {
    if (isMissing()) {
      return List.of();
    }
    if (!node.isArray()) {
      fail("expected a list of strings, got " + describe());
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < node.size(); i++) {
      out.add(element(i).string());
    }
    return out;
  }

  ConfigNode element(int i) {
    return new ConfigNode(doc, fileName, env, pointer + "/" + i, key + "[" + i + "]", node.get(i));
  }

  /** A copy of this subtree with {@code ${VAR}} expanded in every string value (keys are left as they are). */
  JsonNode expandedTree() {
    return expand(node, this);
  }

  private JsonNode expand(JsonNode n, ConfigNode at) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    if (n.isObject()) {
      ObjectNode out = f.objectNode();
      n.fieldNames().forEachRemaining(name -> out.set(name, expand(n.get(name), at.get(name))));
      return out;
    }
    if (n.isArray()) {
      ArrayNode out = f.arrayNode();
      for (int i = 0; i < n.size(); i++) {
        out.add(expand(n.get(i), at.element(i)));
      }
      return out;
    }
    return n.isTextual() ? f.textNode(at.string()) : n.deepCopy();
  }

  /** Reports a problem with this value, at the value's line and column. */
  <T> T fail(String message) {
    throw new ConfigException(where(doc.locationOf(pointer)) + ": " + (key.isEmpty() ? "" : key + ": ") + message);
  }

  /** Reports a problem with this key itself, at the key's line and column. */
  <T> T failAtKey(String message) {
    throw new ConfigException(where(doc.keyLocationOf(pointer)) + ": " + key + ": " + message);
  }

  private String where(JsonLocation loc) {
    return loc == null ? fileName : fileName + ":" + loc.getLineNr() + ":" + loc.getColumnNr();
  }

  String describe() {
    if (isMissing()) {
      return "nothing";
    }
    if (node.isObject()) {
      return "a mapping";
    }
    if (node.isArray()) {
      return "a list";
    }
    if (node.isNumber()) {
      return "the number " + node.asText();
    }
    if (node.isBoolean()) {
      return node.asText();
    }
    return "'" + node.asText() + "'";
  }
}
