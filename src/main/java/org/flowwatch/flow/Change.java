package org.flowwatch.flow;

import java.util.Objects;

/**
 * One field of a flow that differs between the files and the deployed flow.
 *
 * @param field the Flows API field name ({@code definition}, {@code title}, {@code flow_starters}, ...)
 * @param description what differs, e.g. {@code 'Old title' → 'New title'} or {@code states changed: FitData}
 */
public record Change(String field, String description) {
  public Change {
    Objects.requireNonNull(field, "field");
    Objects.requireNonNull(description, "description");
  }

  @Override
  public String toString() {
    return field + ": " + description;
  }
}
