package org.flowwatch.input;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.everit.json.schema.Schema;
import org.everit.json.schema.ValidationException;
import org.everit.json.schema.Validator;
import org.everit.json.schema.loader.SchemaLoader;
import org.json.JSONObject;
import org.json.JSONTokener;
import org.flowwatch.text.JsonProblems;

/**
 * A flow's input schema, compiled once, that reports every violation of a document.
 *
 * <p>Draft 7 (everit), plus the formats Globus schemas use: {@code uuid} and {@code globus-collection}
 * (see {@link SchemaFormats} and {@link GlobusCollectionCheck}). {@code $ref} works inside the file
 * only: everit would otherwise fetch other URLs over HTTP, and {@code --dry-run} promises no network.
 * The schema itself is not meta-validated yet.
 *
 * <p>Trees cross from Jackson to org.json as JSON text, never through a Map: a Map loses null values
 * and the schema would judge a different document.
 */
public final class InputSchema {
  private static final ObjectMapper MAPPER = JsonMapper.builder()
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .build();

  /** The last schema compiled: a dry run compiles the flow's schema for its document, then for its lint. */
  private static volatile InputSchema last;

  private final String origin;
  private final JsonNode tree;
  private final Schema schema;
  private final Validator validator = Validator.builder().build();

  private InputSchema(String origin, JsonNode tree, Schema schema) {
    this.origin = origin;
    this.tree = tree;
    this.schema = schema;
  }

  /**
   * Reads and compiles a schema file.
   *
   * @throws SchemaException when the file is missing, unreadable, not JSON, not an object, or not a schema
   */
  public static InputSchema load(Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      throw new SchemaException("Flow input schema " + file + " does not exist. Set flow.schema in the config"
          + " to the flow's input schema file.", e);
    } catch (AccessDeniedException e) {
      throw new SchemaException("Flow input schema " + file + " cannot be read (permission denied). Give the"
          + " user running flowwatch read permission on it.", e);
    } catch (CharacterCodingException e) {
      throw new SchemaException("Flow input schema " + file + " is not UTF-8 text. Save it as UTF-8 JSON.", e);
    } catch (IOException e) {
      throw new SchemaException("Flow input schema " + file + " cannot be read: " + e + ".", e);
    }
    return parse(text, file.toString());
  }

  /**
   * Compiles a schema from JSON text; {@code origin} names it in messages (a file path).
   *
   * @throws SchemaException as {@link #load}
   */
  public static InputSchema parse(String text, String origin) {
    JsonNode tree;
    try {
      tree = MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      var at = e.getLocation();
      String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
      throw new SchemaException("Flow input schema " + origin + " is not valid JSON" + where + ": "
          + JsonProblems.reasonOf(e) + ". Fix the JSON at that place.", e);
    }
    if (tree == null || tree.isMissingNode()) {
      throw new SchemaException("Flow input schema " + origin + " is empty. It must hold a JSON object.");
    }
    return compile(tree, origin);
  }

  /**
   * Compiles a schema already read as a tree.
   *
   * @throws SchemaException when it is not an object or not a schema everit can compile
   */
  public static InputSchema compile(JsonNode tree, String origin) {
    Objects.requireNonNull(tree, "tree");
    if (!tree.isObject()) {
      throw new SchemaException("Flow input schema " + origin + " must be a JSON object (a JSON Schema),"
          + " but it is " + GlobusCollectionCheck.jsonType(tree) + ".");
    }
    Optional<String> draft = SchemaDraft.otherDraft(tree);
    if (draft.isPresent()) {
      throw new SchemaException("Flow input schema " + origin + " is written for JSON Schema " + draft.get()
          + " (its $schema says so), but flowwatch validates draft 7, which would ignore what it does not know"
          + " and check less than the schema says. Rewrite it for draft 7 (\"$schema\": \"" + SchemaDraft.DRAFT_7
          + "\") or remove $schema.");
    }
    InputSchema previous = last;
    if (previous != null && previous.origin.equals(origin) && previous.tree.equals(tree)) {
      return previous;
    }
    try {
      Schema schema = SchemaLoader.builder()
          .draftV7Support()
          .addFormatValidator(SchemaFormats.UUID_FORMAT)
          .addFormatValidator(SchemaFormats.GLOBUS_COLLECTION_FORMAT)
          .schemaClient(url -> {
            throw new RemoteReferenceRefused(url);
          })
          .schemaJson(new JSONObject(tree.toString()))
          .build()
          .load()
          .build();
      InputSchema compiled = new InputSchema(origin, tree.deepCopy(), schema);
      last = compiled;
      return compiled;
    } catch (RemoteReferenceRefused e) {
      throw new SchemaException("Flow input schema " + origin + " refers to '" + e.url + "' with $ref. flowwatch"
          + " only follows $ref within the same file (\"#/definitions/...\"); copy the referenced schema in.", e);
    } catch (org.everit.json.schema.SchemaException e) {
      throw new SchemaException("Flow input schema " + origin + " is not a valid draft-7 JSON Schema: "
          + e.getMessage() + ".", e);
    }
  }

  /** Where the schema came from (a file path), for messages. */
  public String origin() {
    return origin;
  }

  /** Checks a document and reports every violation, not just the first; the document is not changed. */
  public ValidationReport validate(JsonNode document) {
    Objects.requireNonNull(document, "document");
    Object subject = new JSONTokener(document.toString()).nextValue();
    List<Violation> violations = new ArrayList<>();
    try {
      validator.performValidation(schema, subject);
    } catch (ValidationException e) {
      violations.addAll(EveritViolations.of(e, document));
    }
    violations.addAll(GlobusCollectionCheck.check(tree, document));
    return new ValidationReport(violations);
  }

  /** Thrown from everit's schema client so that loading stops at the first non-local $ref. */
  private static final class RemoteReferenceRefused extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String url;

    RemoteReferenceRefused(String url) {
      super("refused to fetch " + url);
      this.url = url;
    }
  }
}
