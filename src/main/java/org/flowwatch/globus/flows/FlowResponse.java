package org.flowwatch.globus.flows;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.UUID;

/**
 * Wire form of a flow document (reference §2.3). Role lists come back empty unless the caller administers
 * the flow; high-assurance flows may come back without definition and input schema.
 */
record FlowResponse(
    UUID id,
    String title,
    String subtitle,
    String description,
    List<String> keywords,
    JsonNode definition,
    JsonNode inputSchema,
    String globusAuthScope,
    String flowOwner,
    List<String> flowViewers,
    List<String> flowStarters,
    List<String> flowAdministrators,
    List<String> runManagers,
    List<String> runMonitors,
    List<String> userRoles,
    String updatedAt) {}
