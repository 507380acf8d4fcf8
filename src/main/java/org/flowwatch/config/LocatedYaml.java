package org.flowwatch.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * A YAML document read into a Jackson tree that remembers where each value started, so that errors
 * found while binding the tree can still name the line and column. Jackson's tree model drops locations,
 * which is why the tree is built here token by token.
 */
final class LocatedYaml {
  private static final YAMLFactory YAML = YAMLFactory.builder().build();

  private final JsonNode root;
  private final Map<String, JsonLocation> locations;
  private final Map<String, JsonLocation> keyLocations;

  private LocatedYaml(JsonNode root, Map<String, JsonLocation> locations, Map<String, JsonLocation> keyLocations) {
    this.root = root;
    this.locations = locations;
    this.keyLocations = keyLocations;
  }

  JsonNode root() {
    return root;
  }

  /** Line and column of the key that holds the value at a JSON pointer, or of the value when it has none. */
  JsonLocation keyLocationOf(String pointer) {
    JsonLocation loc = keyLocations.get(pointer);
    return loc != null ? loc : locationOf(pointer);
  }

  /** Line and column of the value at a JSON pointer, or of its nearest located ancestor. */
  JsonLocation locationOf(String pointer) {
    String p = pointer;
    while (true) {
      JsonLocation loc = locations.get(p);
      if (loc != null || p.isEmpty()) {
        return loc;
      }
      p = p.substring(0, p.lastIndexOf('/'));
    }
  }

  /**
   * Parses YAML text. A syntax error, a duplicated key, or YAML flowwatch does not read (anchors and
   * aliases, merge keys, tags, a second document: see {@link YamlStructure}) is reported as a
   * {@link ConfigException} naming {@code displayName}, the line and the column.
   */
  static LocatedYaml parse(String text, String displayName) {
    YamlStructure.check(text, displayName);
    Map<String, JsonLocation> locations = new HashMap<>();
    Map<String, JsonLocation> keyLocations = new HashMap<>();
    try (JsonParser parser = YAML.createParser(text)) {
      JsonToken first = parser.nextToken();
      if (first == null) {
        return new LocatedYaml(JsonNodeFactory.instance.nullNode(), locations, keyLocations);
      }
      JsonNode root = read(parser, "", locations, keyLocations, displayName);
      return new LocatedYaml(root, locations, keyLocations);
    } catch (JsonProcessingException e) {
      if (e.getCause() instanceof MarkedYAMLException marked) {
        throw new ConfigException(YamlSyntax.describe(marked, displayName), e);
      }
      // What is left after YamlStructure's check are Jackson's own refusals, such as a number it cannot read.
      JsonLocation loc = e.getLocation();
      String where = loc == null ? displayName : displayName + ":" + loc.getLineNr() + ":" + loc.getColumnNr();
      String why = e.getOriginalMessage().strip();
      why = why.contains("\n") ? why.substring(0, why.indexOf('\n')) : why;
      throw new ConfigException(where + ": this is not valid YAML: " + why, e);
    } catch (IOException e) {
      throw new ConfigException(displayName + ": cannot read the YAML: " + e.getMessage(), e);
    }
  }

  private static JsonNode read(JsonParser p, String pointer, Map<String, JsonLocation> locations,
      Map<String, JsonLocation> keyLocations, String name) throws IOException {
    locations.put(pointer, p.currentTokenLocation());
    JsonNodeFactory f = JsonNodeFactory.instance;
    JsonToken t = p.currentToken();
    switch (t) {
      case START_OBJECT: {
        ObjectNode obj = f.objectNode();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String key = p.currentName();
          JsonLocation keyLoc = p.currentTokenLocation();
          if (obj.has(key)) {
            throw new ConfigException(name + ":" + keyLoc.getLineNr() + ":" + keyLoc.getColumnNr()
                + ": key '" + key + "' appears twice in the same mapping; keep one of them");
          }
          String child = pointer + "/" + escape(key);
          keyLocations.put(child, keyLoc);
          p.nextToken();
          obj.set(key, read(p, child, locations, keyLocations, name));
        }
        return obj;
      }
      case START_ARRAY: {
        ArrayNode arr = f.arrayNode();
        int i = 0;
        while (p.nextToken() != JsonToken.END_ARRAY) {
          arr.add(read(p, pointer + "/" + i++, locations, keyLocations, name));
        }
        return arr;
      }
      case VALUE_STRING:
        return f.textNode(p.getText());
      case VALUE_NUMBER_INT:
        return f.numberNode(p.getBigIntegerValue());
      case VALUE_NUMBER_FLOAT:
        return f.numberNode(p.getDecimalValue());
      case VALUE_TRUE:
        return f.booleanNode(true);
      case VALUE_FALSE:
        return f.booleanNode(false);
      case VALUE_NULL:
        return f.nullNode();
      default:
        // Binary (!!binary) and other embedded objects have no place in a flowwatch config.
        return f.textNode(p.getText());
    }
  }

  static String escape(String key) {
    return key.replace("~", "~0").replace("/", "~1");
  }
}
