package org.flowwatch.globus.flows;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * Wire body of {@code POST /flows} and {@code PUT /flows/{id}}. The shared mapper leaves null fields out,
 * which is what makes a PUT partial: only the fields that changed are sent.
 */
record FlowRequest(
    String title,
    String subtitle,
    String description,
    List<String> keywords,
    JsonNode definition,
    JsonNode inputSchema,
    List<String> flowViewers,
    List<String> flowStarters,
    List<String> flowAdministrators,
    List<String> runManagers,
    List<String> runMonitors) {

  static FlowRequest of(FlowFields fields) {
    return new FlowRequest(fields.title(), fields.subtitle(), fields.description(), fields.keywords(),
        fields.definition(), fields.inputSchema(), fields.flowViewers(), fields.flowStarters(),
        fields.flowAdministrators(), fields.runManagers(), fields.runMonitors());
  }
}
