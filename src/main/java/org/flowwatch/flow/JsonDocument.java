package org.flowwatch.flow;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.flowwatch.text.JsonProblems;

/**
 * A JSON file read into a Jackson tree that remembers where each value and key started, so findings can
 * name a line. Jackson's tree model drops locations, so the tree is built here token by token.
 *
 * <p>A file that is not valid JSON still makes a document: it has no tree, and {@link #syntaxError()}
 * says where parsing stopped. A key repeated in one object is kept as JSON parsers do (the last one wins)
 * and listed in {@link #duplicates()}, because the earlier value silently disappears.
 */
public final class JsonDocument {

  /** Where parsing stopped, and why, in Jackson's words. */
  public record SyntaxError(Location location, String reason) {}

  /** A key that appears twice in one object; {@code pointer} is the key's path, {@code location} the repeat. */
  public record DuplicateKey(String pointer, Location location, Location first) {}

  private static final JsonFactory JSON = JsonFactory.builder().build();
  private static final Pattern UNRECOGNIZED = Pattern.compile("Unrecognized token '([^']*)'");
  private static final Pattern PLACEHOLDER = Pattern.compile("[A-Z][A-Z0-9]*(_[A-Z0-9]+)+");

  private final String origin;
  private final JsonNode root;
  private final SyntaxError syntaxError;
  private final Map<String, Location> values;
  private final Map<String, Location> keys;
  private final List<DuplicateKey> duplicates;

  private JsonDocument(String origin, JsonNode root, SyntaxError syntaxError, Map<String, Location> values,
      Map<String, Location> keys, List<DuplicateKey> duplicates) {
    this.origin = origin;
    this.root = root;
    this.syntaxError = syntaxError;
    this.values = values;
    this.keys = keys;
    this.duplicates = List.copyOf(duplicates);
  }

  /**
   * Reads a file as UTF-8 JSON.
   *
   * @param what what the file is, for messages ("flow definition", "input schema")
   * @throws FlowFileException when the file cannot be read at all
   */
  public static JsonDocument read(Path file, String what) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new FlowFileException(file + ": the " + what + " file does not exist; check the path", e);
    } catch (AccessDeniedException e) {
      throw new FlowFileException(file + ": the " + what + " file cannot be read (permission denied)", e);
    } catch (CharacterCodingException e) {
      throw new FlowFileException(file + ": the " + what + " file is not UTF-8 text; save it as UTF-8 JSON", e);
    } catch (IOException e) {
      String why = Files.isDirectory(file) ? "it is a directory, not a JSON file" : e.toString();
      throw new FlowFileException(file + ": the " + what + " file cannot be read: " + why, e);
    }
    return parse(text, file.toString());
  }

  /** Parses JSON text; {@code origin} names it in findings (a file path). Never throws for bad JSON. */
  public static JsonDocument parse(String text, String origin) {
    Objects.requireNonNull(text, "text");
    Map<String, Location> values = new HashMap<>();
    Map<String, Location> keys = new HashMap<>();
    List<DuplicateKey> duplicates = new ArrayList<>();
    try (JsonParser parser = JSON.createParser(text)) {
      if (parser.nextToken() == null) {
        return failed(origin, new SyntaxError(new Location(1, 1), "the file is empty; it must hold a JSON object"));
      }
      JsonNode root = new Reader(parser, values, keys, duplicates).read("");
      if (parser.nextToken() != null) {
        return failed(origin, new SyntaxError(location(parser.currentTokenLocation()),
            "unexpected content after the end of the JSON document"));
      }
      return new JsonDocument(origin, root, null, values, keys, duplicates);
    } catch (JsonProcessingException e) {
      return failed(origin, new SyntaxError(location(e.getLocation()), explain(JsonProblems.reasonOf(e))));
    } catch (IOException e) {
      return failed(origin, new SyntaxError(Location.UNKNOWN, e.getMessage()));
    }
  }

  private static JsonDocument failed(String origin, SyntaxError error) {
    return new JsonDocument(origin, null, error, Map.of(), Map.of(), List.of());
  }

  /** Jackson's reason on one line, with a hint when the culprit looks like an unfilled template placeholder. */
  private static String explain(String message) {
    String reason = message.replaceAll("\\s*\\n\\s*", "; ").trim();
    Matcher m = UNRECOGNIZED.matcher(reason);
    if (m.find() && PLACEHOLDER.matcher(m.group(1)).matches()) {
      return reason + ". '" + m.group(1) + "' looks like a template placeholder: fill the template in"
          + " (substitute every placeholder) and check the result";
    }
    return reason;
  }

  /** The file path or other name the document came from. */
  public String origin() {
    return origin;
  }

  public boolean isWellFormed() {
    return syntaxError == null;
  }

  /** Where and why parsing stopped, for a document that is not valid JSON. */
  public Optional<SyntaxError> syntaxError() {
    return Optional.ofNullable(syntaxError);
  }

  /**
   * The tree (a copy, so the document stays unchanged).
   *
   * @throws IllegalStateException when the document is not valid JSON
   */
  public JsonNode root() {
    if (root == null) {
      throw new IllegalStateException(origin + " is not valid JSON: " + syntaxError.reason());
    }
    return root.deepCopy();
  }

  /** Keys that appear twice in one object, in file order. */
  public List<DuplicateKey> duplicates() {
    return duplicates;
  }

  /** Where the value at an RFC 6901 pointer starts, or its nearest ancestor's when it has none. */
  public Location locationOf(String pointer) {
    String p = pointer;
    while (true) {
      Location loc = values.get(p);
      if (loc != null) {
        return loc;
      }
      if (p.isEmpty()) {
        return Location.UNKNOWN;
      }
      p = p.substring(0, p.lastIndexOf('/'));
    }
  }

  /** Where the key holding the value at {@code pointer} starts; the value's location when it has no key. */
  public Location keyLocationOf(String pointer) {
    Location loc = keys.get(pointer);
    return loc != null ? loc : locationOf(pointer);
  }

  /** The RFC 6901 pointer of {@code key} inside the value at {@code parent}. */
  public static String pointer(String parent, String key) {
    return parent + "/" + key.replace("~", "~0").replace("/", "~1");
  }

  private static Location location(JsonLocation loc) {
    if (loc == null || loc.getLineNr() < 1) {
      return Location.UNKNOWN;
    }
    return new Location(loc.getLineNr(), Math.max(loc.getColumnNr(), 0));
  }

  /** Builds the tree from the parser, recording locations as it goes. */
  private record Reader(JsonParser p, Map<String, Location> values, Map<String, Location> keys,
      List<DuplicateKey> duplicates) {

    JsonNode read(String pointer) throws IOException {
      values.put(pointer, location(p.currentTokenLocation()));
      JsonNodeFactory f = JsonNodeFactory.instance;
      JsonToken t = p.currentToken();
      switch (t) {
        case START_OBJECT: {
          ObjectNode obj = f.objectNode();
          while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            String child = pointer(pointer, key);
            Location keyLoc = location(p.currentTokenLocation());
            if (obj.has(key)) {
              duplicates.add(new DuplicateKey(child, keyLoc, keys.get(child)));
            }
            keys.put(child, keyLoc);
            p.nextToken();
            obj.set(key, read(child));
          }
          return obj;
        }
        case START_ARRAY: {
          ArrayNode arr = f.arrayNode();
          int i = 0;
          while (p.nextToken() != JsonToken.END_ARRAY) {
            arr.add(read(pointer + "/" + i++));
          }
          return arr;
        }
        case VALUE_STRING:
          return f.textNode(p.getText());
        case VALUE_NUMBER_INT:
          // The smallest fitting type, as ObjectMapper.readTree makes it, so trees compare like the service's.
          switch (p.getNumberType()) {
            case INT:
              return f.numberNode(p.getIntValue());
            case LONG:
              return f.numberNode(p.getLongValue());
            default:
              return f.numberNode(p.getBigIntegerValue());
          }
        case VALUE_NUMBER_FLOAT:
          return f.numberNode(p.getDoubleValue());
        case VALUE_TRUE:
          return f.booleanNode(true);
        case VALUE_FALSE:
          return f.booleanNode(false);
        case VALUE_NULL:
          return f.nullNode();
        default:
          throw new IllegalStateException("unexpected JSON token " + t);
      }
    }
  }
}
