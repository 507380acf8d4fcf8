package org.flowwatch.globus.flows;

import com.fasterxml.jackson.databind.JsonNode;

/** Wire body of {@code POST /flows/validate}; a null input schema is left out. */
record ValidateFlowRequest(JsonNode definition, JsonNode inputSchema) {}
