package org.flowwatch.globus.compute;

/** {@code GET /v2/endpoints/{id}/status}: only the status is used; details vary by endpoint version. */
record EndpointStatusResponse(String status) {}
