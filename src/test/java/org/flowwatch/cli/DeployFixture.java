package org.flowwatch.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

/** The deploy fixtures (src/test/resources/deploy) in a directory of their own, and flow documents for stubs. */
final class DeployFixture {
  static final UUID FLOW_ID = UUID.fromString("0b1c2d3e-0000-4000-8000-000000000001");
  static final String STARTER = "urn:globus:groups:id:66666666-7777-8888-9999-000000000000";
  static final String CLIENT_ID = "c0ffee00-1111-4222-8333-444455556666";
  static final String CLIENT_SECRET = "not-a-real-secret-value";
  static final ObjectMapper MAPPER = new ObjectMapper();

  private DeployFixture() {}

  /** Copies flowwatch.yaml, flows/copy.json and schemas/copy.json into {@code dir}. */
  static Path copyInto(Path dir) {
    try {
      Path from = Path.of(DeployFixture.class.getResource("/deploy/flowwatch.yaml").toURI()).getParent();
      for (String name : List.of("flowwatch.yaml", "flows/copy.json", "schemas/copy.json")) {
        Files.createDirectories(dir.resolve(name).getParent());
        Files.copy(from.resolve(name), dir.resolve(name));
      }
      return dir.resolve("flowwatch.yaml");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static JsonNode read(Path file) {
    try {
      return MAPPER.readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A flow document as the Flows service returns it (reference §2.3). */
  static String flowDocument(String title, JsonNode definition, JsonNode schema) {
    ObjectNode doc = MAPPER.createObjectNode();
    doc.put("id", FLOW_ID.toString());
    doc.put("title", title);
    doc.put("subtitle", "");
    doc.put("description", "");
    doc.putArray("keywords");
    doc.set("definition", definition);
    doc.set("input_schema", schema);
    doc.put("globus_auth_scope", "https://auth.globus.org/scopes/" + FLOW_ID + "/flow_"
        + FLOW_ID.toString().replace('-', '_') + "_user");
    doc.put("flow_owner", "urn:globus:auth:identity:" + CLIENT_ID);
    doc.putArray("flow_viewers");
    doc.putArray("flow_starters").add(STARTER);
    doc.putArray("flow_administrators");
    doc.putArray("run_managers");
    doc.putArray("run_monitors");
    doc.putArray("user_roles").add("flow_owner");
    doc.put("created_at", "2026-01-02T03:04:05.000000+00:00");
    doc.put("updated_at", "2026-01-02T03:04:05.000000+00:00");
    return doc.toString();
  }

  /** A token answer for one Flows service scope. */
  static String token(String scope) {
    return "{\"access_token\": \"token-" + scope + "\", \"scope\": \"https://auth.globus.org/scopes/"
        + "eec9b274-0c81-4334-bdc2-54e90e689b9a/" + scope + "\", \"resource_server\": \"flows.globus.org\","
        + " \"expires_in\": 172800, \"token_type\": \"Bearer\", \"other_tokens\": []}";
  }
}
