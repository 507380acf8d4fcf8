package org.flowwatch.input;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Objects;

/**
 * The input of one flow run, rendered for one run directory and checked against the flow's schema.
 *
 * @param body the input document (a fresh tree owned by this record; do not modify it)
 * @param label the rendered run label (the starter appends its trigger token)
 * @param tags the rendered run tags
 * @param report what the schema says about {@code body}
 */
public record InputDocument(JsonNode body, String label, List<String> tags, ValidationReport report) {
  public InputDocument {
    Objects.requireNonNull(body, "body");
    Objects.requireNonNull(label, "label");
    tags = List.copyOf(tags);
    Objects.requireNonNull(report, "report");
  }

  /** True when the body satisfies the schema, i.e. the run may be started. */
  public boolean isValid() {
    return report.isValid();
  }
}
