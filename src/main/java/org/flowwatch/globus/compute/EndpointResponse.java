package org.flowwatch.globus.compute;

import java.util.UUID;

/** The fields of {@code GET /v2/endpoints/{id}} flowwatch shows. */
record EndpointResponse(UUID uuid, String name, String displayName, String hostname, String endpointVersion) {}
