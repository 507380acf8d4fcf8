package org.flowwatch.flow;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.flowwatch.config.Config;

/**
 * Checks a flow definition and its input schema offline, before Globus sees them, and reports every
 * finding with its id, severity, JSON pointer and line (see {@link LintRule} for the checks).
 */
public final class FlowLinter {

  /**
   * Lints what a config names: {@code flow.definition} when it is set, and {@code flow.schema}. This is
   * the one call the agent's {@code --dry-run} needs.
   *
   * @throws FlowFileException when a named file cannot be read at all
   */
  public static LintReport lint(Config config) {
    Path definition = config.flow().definition();
    return new FlowLinter().lint(definition == null ? null : FlowDefinition.read(definition),
        readSchema(config.flow().schema()));
  }

  /** Reads an input schema file; see {@link JsonDocument#read}. */
  public static JsonDocument readSchema(Path file) {
    return JsonDocument.read(file, "input schema");
  }

  /**
   * Lints a definition against an input schema.
   *
   * @param definition the definition, or null to check the schema alone
   * @param schema the input schema, or null: then paths into the input are not checked
   */
  public LintReport lint(JsonDocument definition, JsonDocument schema) {
    List<Finding> findings = new ArrayList<>();
    JsonNode schemaTree = null;
    if (schema != null) {
      Findings out = new Findings(schema);
      // A broken schema would make every path into the input look wrong; its own findings say enough.
      if (wellFormed(schema, out) && SchemaCheck.run(schema, out)) {
        schemaTree = schema.root();
      }
      findings.addAll(out.all());
    }
    if (definition != null) {
      Findings out = new Findings(definition);
      if (wellFormed(definition, out)) {
        FlowDefinition flow = FlowDefinition.of(definition);
        StructureCheck.run(flow, out);
        if (flow.tree().isObject()) {
          DataFlowCheck.run(flow, schemaTree, out);
          ActionCheck.run(flow, out);
        }
      }
      findings.addAll(out.all());
    }
    return new LintReport(findings);
  }

  /** FW001 for a file that is not JSON, FW002 for each repeated key; true when there is a tree to check. */
  private static boolean wellFormed(JsonDocument document, Findings out) {
    if (document.syntaxError().isPresent()) {
      JsonDocument.SyntaxError error = document.syntaxError().get();
      out.addAt(LintRule.FW001, "", error.location(), "not valid JSON: " + error.reason());
      return false;
    }
    for (JsonDocument.DuplicateKey d : document.duplicates()) {
      String key = d.pointer().substring(d.pointer().lastIndexOf('/') + 1).replace("~1", "/").replace("~0", "~");
      out.addAt(LintRule.FW002, d.pointer(), d.location(), "key '" + key + "' appears again here"
          + (d.first() != null && d.first().isKnown() ? " (first at line " + d.first().line() + ")" : "")
          + "; only this last one counts, the earlier value is silently dropped: merge them or rename one");
    }
    return true;
  }
}
