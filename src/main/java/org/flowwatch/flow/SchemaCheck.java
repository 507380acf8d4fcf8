package org.flowwatch.flow;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.everit.json.schema.Schema;
import org.everit.json.schema.ValidationException;
import org.everit.json.schema.loader.SchemaLoader;
import org.flowwatch.input.InputSchema;
import org.flowwatch.input.SchemaDraft;
import org.flowwatch.input.SchemaException;
import org.json.JSONObject;
import org.json.JSONTokener;

/**
 * The input schema itself (FW401–FW402): it must satisfy the JSON Schema draft-07 meta-schema, and
 * flowwatch must be able to compile it, since {@code --dry-run} and the agent validate every input
 * document with it.
 */
final class SchemaCheck {

  /**
   * The draft-07 meta-schema (json-schema.org/draft-07/schema), bundled so that checking needs no
   * network, and compiled once (everit schemas are immutable).
   */
  private static final Schema META_SCHEMA = loadMetaSchema();

  private static final Set<String> ALTERNATIVES = Set.of("anyOf", "oneOf");

  private SchemaCheck() {}

  /** @return true when the schema is fit to check flow input (no error was found) */
  static boolean run(JsonDocument schema, Findings out) {
    JsonNode tree = schema.root();
    if (!tree.isObject()) {
      out.add(LintRule.FW402, "", "an input schema must be a JSON object describing the flow input (\"type\":"
          + " \"object\", \"properties\": {...}), but this is " + StructureCheck.kind(tree));
      return false;
    }
    Optional<String> draft = SchemaDraft.otherDraft(tree);
    if (draft.isPresent()) {
      out.add(LintRule.FW403, "/$schema", "written for JSON Schema " + draft.get() + ", but flowwatch validates"
          + " draft 7; rewrite it for draft 7 (\"$schema\": \"" + SchemaDraft.DRAFT_7 + "\") or remove $schema");
      return false;
    }
    for (String unknown : SchemaDraft.unknownKeywords(tree)) {
      out.add(LintRule.FW404, unknown, "'" + unknown.substring(unknown.lastIndexOf('/') + 1)
          + "' is not a draft-7 keyword: the validator ignores it (a later draft's keyword, or a misspelling?)");
    }
    List<Violation> violations = new ArrayList<>();
    try {
      META_SCHEMA.validate(new JSONTokener(tree.toString()).nextValue());
    } catch (ValidationException e) {
      leaves(e, violations);
    }
    for (Violation v : violations) {
      out.add(LintRule.FW401, v.pointer(), "not valid draft-07 JSON Schema here: " + v.message());
    }
    if (!violations.isEmpty()) {
      return false;
    }
    try {
      InputSchema.compile(tree, schema.origin());
      return true;
    } catch (SchemaException e) {
      out.add(LintRule.FW402, "", e.getMessage());
      return false;
    }
  }

  /**
   * The violations worth showing. The meta-schema allows a schema to be an object or a boolean, so every
   * broken subschema first fails as "not a boolean"; when all alternatives but one fail only on their
   * type, the remaining one holds the real mistake and is followed instead.
   */
  private static void leaves(ValidationException e, List<Violation> out) {
    List<ValidationException> causes = e.getCausingExceptions();
    if (causes.isEmpty()) {
      out.add(new Violation(pointer(e), message(e)));
      return;
    }
    if ((e.getKeyword() != null && ALTERNATIVES.contains(e.getKeyword()))
        || e.getErrorMessage().startsWith("no subschema matched")) {
      List<ValidationException> meaningful = causes.stream()
          .filter(c -> !("type".equals(c.getKeyword()) && c.getPointerToViolation().equals(e.getPointerToViolation())))
          .toList();
      if (meaningful.size() == 1) {
        leaves(meaningful.get(0), out);
      } else {
        List<String> each = new ArrayList<>();
        for (ValidationException c : meaningful.isEmpty() ? causes : meaningful) {
          List<Violation> inner = new ArrayList<>();
          leaves(c, inner);
          inner.forEach(v -> each.add(v.message()));
        }
        out.add(new Violation(pointer(e), "it matches none of the allowed forms (" + String.join("; ", each) + ")"));
      }
      return;
    }
    causes.forEach(c -> leaves(c, out));
  }

  private record Violation(String pointer, String message) {}

  /** everit's {@code #/properties/a} as an RFC 6901 pointer. */
  private static String pointer(ValidationException e) {
    String p = e.getPointerToViolation();
    return p == null || p.equals("#") ? "" : p.startsWith("#") ? p.substring(1) : p;
  }

  /** everit names Java classes ("found: JSONArray"); say what JSON calls them. */
  private static String message(ValidationException e) {
    return e.getErrorMessage().replaceAll("^#[^:\\s]*: ", "")
        .replace("JSONObject", "object").replace("JSONArray", "array")
        .replace("found: String", "found: string").replace("found: Integer", "found: integer")
        .replace("found: Boolean", "found: boolean").replace("found: BigDecimal", "found: number");
  }

  private static Schema loadMetaSchema() {
    try (InputStream in = SchemaCheck.class.getResourceAsStream("json-schema-draft-07.json")) {
      if (in == null) {
        throw new IllegalStateException("the bundled draft-07 meta-schema is missing from the jar");
      }
      JSONObject json = new JSONObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      return SchemaLoader.builder()
          .draftV7Support()
          .schemaClient(url -> {
            // "$ref": "#" resolves against the meta-schema's own $id; nothing else may be fetched.
            throw new IllegalStateException("the draft-07 meta-schema refers to " + url + ", which is not bundled");
          })
          .schemaJson(json)
          .build()
          .load()
          .build();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
