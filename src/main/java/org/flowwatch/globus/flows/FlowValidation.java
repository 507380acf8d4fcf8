package org.flowwatch.globus.flows;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.flowwatch.globus.Problem;

/**
 * What the Flows service's (beta) validator said about a definition and input schema.
 *
 * @param accepted true when the service found nothing wrong
 * @param scopes on acceptance, the scopes the flow will need, keyed by RunAs role (e.g. {@code User})
 * @param problems on rejection, each objection with its location ({@code definition.States.X})
 * @param summary on rejection, the service's own summary line (code, message, debug id)
 */
public record FlowValidation(boolean accepted, Map<String, List<String>> scopes, List<Problem> problems,
    String summary) {

  public FlowValidation {
    scopes = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(scopes == null ? Map.of() : scopes));
    problems = List.copyOf(problems == null ? List.of() : problems);
    summary = summary == null ? "" : summary;
  }
}
