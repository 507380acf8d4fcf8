package org.flowwatch.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Changes single scalar values of a YAML config file in place, leaving every other byte as it was:
 * comments, order, quoting, blank lines and line endings. Used to write ids flowwatch obtained (a
 * registered function's id) back into the file the user maintains.
 *
 * <p>Only block-style mappings are edited; a value the editor cannot safely rewrite (a flow-style
 * mapping, a multi-line scalar, a {@code ${VAR}} reference) is refused with the line to edit by hand.
 */
public final class ConfigFileEditor {

  /**
   * One change.
   *
   * @param key the dotted key that changed, e.g. {@code compute.functions.fit.id}
   * @param line its line in the file (1-based)
   * @param before the old value text, or null when the key was inserted
   * @param after the new value text
   */
  public record Edit(String key, int line, String before, String after) {}

  private final Path file;
  private String text;

  private ConfigFileEditor(Path file, String text) {
    this.file = file;
    this.text = text;
  }

  public static ConfigFileEditor open(Path file) {
    try {
      return new ConfigFileEditor(file, Files.readString(file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new ConfigException(file + ": cannot read the config file to update it: " + e.getMessage(), e);
    }
  }

  /** The text with every edit so far. */
  public String text() {
    return text;
  }

  /**
   * Sets the scalar at {@code keys} to {@code value} (a plain YAML scalar such as a UUID): replaces the value
   * when the key exists, else inserts {@code key: value} as the first entry of its parent mapping.
   */
  public Edit set(List<String> keys, String value) {
    Objects.requireNonNull(value, "value");
    if (keys.isEmpty()) {
      throw new IllegalArgumentException("no key given");
    }
    LocatedYaml doc = LocatedYaml.parse(text, file.toString());
    String pointer = pointer(keys);
    String dotted = String.join(".", keys);
    JsonNode node = doc.root().at(pointer);
    // "id:" with nothing after it reads as null or as an empty string, depending on what follows.
    if (node.isNull() || node.isTextual() && node.asText().isEmpty() && !quotedAt(doc.locationOf(pointer))) {
      return fillEmpty(doc.keyLocationOf(pointer), dotted, keys.get(keys.size() - 1), value);
    }
    if (!node.isMissingNode()) {
      if (!node.isValueNode()) {
        throw refuse(doc.keyLocationOf(pointer), dotted, "holds a mapping or list, not a single value");
      }
      return replace(doc.locationOf(pointer), dotted, value);
    }
    List<String> parentKeys = keys.subList(0, keys.size() - 1);
    String parentPointer = pointer(parentKeys);
    JsonNode parent = doc.root().at(parentPointer);
    if (!parent.isObject() || parent.isEmpty()) {
      throw new ConfigException(file + ": cannot add " + dotted + " because " + String.join(".", parentKeys)
          + " is not a mapping with entries; add the line '" + keys.get(keys.size() - 1) + ": " + value
          + "' there by hand");
    }
    String firstChild = parent.fieldNames().next();
    JsonLocation sibling = doc.keyLocationOf(parentPointer + "/" + LocatedYaml.escape(firstChild));
    // Right under the parent's own line, so a comment above the first entry stays with that entry.
    JsonLocation parentKey = parentKeys.isEmpty() ? null : doc.keyLocationOf(parentPointer);
    return insertBefore(sibling, parentKey, dotted, keys.get(keys.size() - 1), value);
  }

  /**
   * Sets every scalar under the top-level mapping {@code section} whose value is exactly {@code oldValue}
   * to {@code newValue}; returns the edits (none when nothing matched).
   */
  public List<Edit> replaceValues(String section, String oldValue, String newValue) {
    JsonNode root = LocatedYaml.parse(text, file.toString()).root().path(section);
    List<List<String>> matches = new ArrayList<>();
    collect(root, new ArrayList<>(List.of(section)), oldValue, matches);
    List<Edit> edits = new ArrayList<>();
    for (List<String> keys : matches) {
      edits.add(set(keys, newValue));
    }
    return edits;
  }

  /** Writes the text back through a temporary file, keeping the file's permissions. */
  public void save() {
    save(temp -> { });
  }

  /**
   * Like {@link #save()}, but {@code check} sees the edited file (beside the original, so relative paths
   * resolve the same) before it replaces the original; a {@link ConfigException} from it leaves the
   * original untouched.
   */
  public void save(Consumer<Path> check) {
    try {
      AtomicFile.replace(file, text.getBytes(StandardCharsets.UTF_8), AtomicFile.permissionsOf(file), check);
    } catch (IOException e) {
      throw new ConfigException(file + ": cannot write the updated config file: " + e.getMessage()
          + "; the file was not changed", e);
    }
  }

  private static void collect(JsonNode node, List<String> keys, String value, List<List<String>> out) {
    if (node.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        keys.add(e.getKey());
        collect(e.getValue(), keys, value, out);
        keys.remove(keys.size() - 1);
      }
    } else if (node.isValueNode() && node.asText().equals(value)) {
      out.add(List.copyOf(keys));
    }
  }

  private Edit replace(JsonLocation at, String dotted, String value) {
    int start = offset(at);
    int lineEnd = lineEnd(start);
    String rest = text.substring(start, lineEnd);
    int length;
    if (rest.startsWith("\"") || rest.startsWith("'")) {
      length = quotedLength(rest);
      if (length < 0) {
        throw refuse(at, dotted, "its quoted value does not end on the same line");
      }
    } else if (rest.isEmpty() || rest.startsWith("|") || rest.startsWith(">") || rest.startsWith("&")
        || rest.startsWith("*") || rest.startsWith("!") || rest.startsWith("{") || rest.startsWith("[")) {
      throw refuse(at, dotted, "its value is not a plain one-line scalar");
    } else {
      int comment = rest.indexOf(" #");
      length = (comment < 0 ? rest : rest.substring(0, comment)).stripTrailing().length();
    }
    String before = rest.substring(0, length);
    if (before.contains("${")) {
      throw refuse(at, dotted, "its value comes from the environment (" + before + "); set the variable instead");
    }
    text = text.substring(0, start) + value + text.substring(start + length);
    return new Edit(dotted, at.getLineNr(), before, value);
  }

  private boolean quotedAt(JsonLocation at) {
    int start = offset(at);
    return start < text.length() && (text.charAt(start) == '"' || text.charAt(start) == '\'');
  }

  /** {@code key:} with no value (or only a comment) on its line becomes {@code key: value}. */
  private Edit fillEmpty(JsonLocation keyAt, String dotted, String key, String value) {
    int keyStart = offset(keyAt);
    int end = lineEnd(keyStart);
    String line = text.substring(keyStart, end);
    if (!line.startsWith(key + ":") || !line.substring(key.length() + 1).isBlank()
        && !line.substring(key.length() + 1).strip().startsWith("#")) {
      throw refuse(keyAt, dotted, "its line is not 'key:' with an empty value");
    }
    String after = line.substring(key.length() + 1).strip();
    String filled = key + ": " + value + (after.isEmpty() ? "" : " " + after);
    text = text.substring(0, keyStart) + filled + text.substring(end);
    return new Edit(dotted, keyAt.getLineNr(), null, value);
  }

  /**
   * Inserts {@code key: value} with the indentation of {@code sibling} (the mapping's first entry): on the
   * line after {@code parentKey} when given, else just above the sibling.
   */
  private Edit insertBefore(JsonLocation sibling, JsonLocation parentKey, String dotted, String key, String value) {
    int keyStart = offset(sibling);
    int siblingLine = text.lastIndexOf('\n', keyStart - 1) + 1;
    String indent = text.substring(siblingLine, keyStart);
    if (!indent.isBlank()) {
      throw refuse(sibling, dotted, "its mapping is not written one key per line");
    }
    int end = lineEnd(keyStart);
    String newline = end > 0 && end < text.length() && text.charAt(end) == '\r' ? "\r\n" : "\n";
    int at = siblingLine;
    int line = sibling.getLineNr();
    if (parentKey != null) {
      int parentEnd = text.indexOf('\n', offset(parentKey));
      at = parentEnd < 0 ? text.length() : parentEnd + 1;
      line = parentKey.getLineNr() + 1;
    }
    text = text.substring(0, at) + indent + key + ": " + value + newline + text.substring(at);
    return new Edit(dotted, line, null, value);
  }

  /** Length of a quoted scalar at the start of {@code s} (quotes included), or -1 when it does not close. */
  private static int quotedLength(String s) {
    char quote = s.charAt(0);
    for (int i = 1; i < s.length(); i++) {
      char c = s.charAt(i);
      if (quote == '"' && c == '\\') {
        i++;
      } else if (c == quote) {
        if (quote == '\'' && i + 1 < s.length() && s.charAt(i + 1) == '\'') {
          i++;
        } else {
          return i + 1;
        }
      }
    }
    return -1;
  }

  /** The text offset of a parser location (1-based line and column, the column counted in code points). */
  private int offset(JsonLocation at) {
    int line = 1;
    int index = 0;
    while (line < at.getLineNr()) {
      index = text.indexOf('\n', index) + 1;
      line++;
    }
    return text.offsetByCodePoints(index, at.getColumnNr() - 1);
  }

  /** Where the line holding {@code offset} ends (before its \r\n or \n). */
  private int lineEnd(int offset) {
    int end = text.indexOf('\n', offset);
    if (end < 0) {
      end = text.length();
    }
    return end > offset && text.charAt(end - 1) == '\r' ? end - 1 : end;
  }

  private ConfigException refuse(JsonLocation at, String dotted, String why) {
    return new ConfigException(file + ":" + (at == null ? "?" : at.getLineNr()) + ": cannot update " + dotted
        + " in place: " + why + "; edit that line by hand");
  }

  private static String pointer(List<String> keys) {
    StringBuilder p = new StringBuilder();
    for (String key : keys) {
      p.append('/').append(LocatedYaml.escape(key));
    }
    return p.toString();
  }
}
