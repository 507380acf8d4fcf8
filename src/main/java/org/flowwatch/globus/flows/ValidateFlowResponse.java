package org.flowwatch.globus.flows;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Wire answer of a successful {@code POST /flows/validate}: the scopes the flow needs, keyed by RunAs role
 * ({@code {"User": ["urn:globus:auth:scope:transfer.api.globus.org:all"]}}). Kept as a tree because the
 * endpoint is beta and its shape has changed before.
 */
record ValidateFlowResponse(JsonNode scopes) {}
