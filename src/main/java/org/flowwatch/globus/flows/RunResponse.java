package org.flowwatch.globus.flows;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.UUID;

/** Wire form of a run document (start, get, and each entry of a run list). Times stay text until mapped. */
record RunResponse(
    UUID runId,
    UUID flowId,
    String status,
    String label,
    List<String> tags,
    String startTime,
    String completionTime,
    JsonNode details) {}
