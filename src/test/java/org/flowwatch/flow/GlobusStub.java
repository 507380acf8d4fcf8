package org.flowwatch.flow;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.flowwatch.config.AuthConfig;
import org.flowwatch.globus.GlobusHttp;
import org.flowwatch.globus.ServiceUrls;
import org.flowwatch.globus.auth.AuthClient;
import org.flowwatch.globus.auth.TokenManager;
import org.flowwatch.globus.flows.FlowManagementClient;

/** A confidential client against a WireMock Globus, and flow documents shaped like the service's (§2.3). */
final class GlobusStub {
  static final UUID FLOW_ID = UUID.fromString("0b1c2d3e-0000-4000-8000-000000000001");
  static final String FLOW_PATH = "/flows/" + FLOW_ID;
  static final ObjectMapper MAPPER = new ObjectMapper();

  private GlobusStub() {}

  static Map<String, String> env(WireMockExtension wm) {
    return Map.of("GLOBUS_CLIENT_ID", "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d",
        "GLOBUS_CLIENT_SECRET", "not-a-real-secret=",
        "GLOBUS_SDK_SERVICE_URL_AUTH", wm.baseUrl(),
        "GLOBUS_SDK_SERVICE_URL_FLOWS", wm.baseUrl());
  }

  /** Token answers for the Flows service scopes. */
  static void stubTokens(WireMockExtension wm) {
    for (String scope : List.of("view_flows", "manage_flows")) {
      wm.stubFor(post(urlEqualTo("/v2/oauth2/token")).withRequestBody(containing(scope)).willReturn(okJson(
          "{\"access_token\": \"token-" + scope + "\", \"scope\": \"https://auth.globus.org/scopes/"
              + "eec9b274-0c81-4334-bdc2-54e90e689b9a/" + scope + "\", \"resource_server\": \"flows.globus.org\","
              + " \"expires_in\": 172800, \"token_type\": \"Bearer\", \"other_tokens\": []}")));
    }
  }

  static FlowManagementClient client(WireMockExtension wm, GlobusHttp http) {
    AuthClient auth = new AuthClient(http, Clock.systemUTC());
    return new FlowManagementClient(http, TokenManager.create(env(wm), AuthConfig.DEFAULT, auth, Clock.systemUTC()));
  }

  static GlobusHttp http(WireMockExtension wm) {
    return new GlobusHttp(ServiceUrls.from(env(wm)));
  }

  /** A flow document as GET /flows/{id} returns it. */
  static String flowDocument(String title, JsonNode definition, JsonNode schema, List<String> starters) {
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
    doc.put("flow_owner", "urn:globus:auth:identity:11111111-2222-3333-4444-555555555555");
    doc.putArray("flow_viewers");
    starters.forEach(doc.putArray("flow_starters")::add);
    doc.putArray("flow_administrators");
    doc.putArray("run_managers");
    doc.putArray("run_monitors");
    doc.putArray("user_roles").add("flow_owner");
    doc.put("created_at", "2026-01-02T03:04:05.000000+00:00");
    doc.put("updated_at", "2026-01-02T03:04:05.000000+00:00");
    return doc.toString();
  }

  static JsonNode json(String text) {
    try {
      return MAPPER.readTree(text);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
