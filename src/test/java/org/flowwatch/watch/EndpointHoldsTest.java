package org.flowwatch.watch;

import java.time.Instant;
import org.flowwatch.globus.MutableClock;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.flowwatch.config.AuthConfig;
import org.flowwatch.config.ComputeConfig;
import org.flowwatch.globus.auth.AuthClient;
import org.flowwatch.globus.compute.ComputeClient;
import org.flowwatch.globus.GlobusHttp;
import org.flowwatch.globus.RetryPolicy;
import org.flowwatch.globus.ServiceUrls;
import org.flowwatch.globus.auth.TokenManager;
import org.flowwatch.ledger.Ledger;
import org.flowwatch.ledger.RunRecord;
import org.flowwatch.ledger.RunState;
import org.flowwatch.ledger.Transition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Endpoint holds against a WireMock Compute service: READY to HELD while an endpoint is offline, and back. */
class EndpointHoldsTest {
  private static final UUID FIT = UUID.fromString("ff16dcd1-0632-4fdd-8b0c-d239d4f1b889");
  private static final List<ComputeConfig.Endpoint> ENDPOINTS =
      List.of(new ComputeConfig.Endpoint("fit", FIT, "frib-fit-mpi"));

  @RegisterExtension
  static WireMockExtension compute = WireMockExtension.newInstance()
      .options(wireMockConfig().dynamicPort()).failOnUnmatchedRequests(true).build();

  @TempDir Path dir;
  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T08:00:00Z"));
  private GlobusHttp http;
  private ComputeClient client;
  private Ledger ledger;

  @BeforeEach
  void setUp() throws IOException {
    compute.stubFor(post("/v2/oauth2/token").willReturn(okJson(
        "{\"access_token\": \"compute-token\", \"resource_server\": \"funcx_service\", \"expires_in\": 172800,"
            + " \"scope\": \"s\", \"token_type\": \"Bearer\", \"other_tokens\": []}")));
    compute.stubFor(get("/v2/endpoints/" + FIT).willReturn(okJson(
        "{\"uuid\": \"" + FIT + "\", \"name\": \"frib-fit-mpi\", \"hostname\": \"login23.nersc.gov\"}")));
    endpointIs("online");
    http = new GlobusHttp(ServiceUrls.from(Map.of("GLOBUS_SDK_SERVICE_URL_AUTH", compute.baseUrl(),
        "GLOBUS_SDK_SERVICE_URL_COMPUTE", compute.baseUrl())), Duration.ofSeconds(5));
    TokenManager tokens = TokenManager.create(Map.of("GLOBUS_CLIENT_ID", "c", "GLOBUS_CLIENT_SECRET", "s"),
        AuthConfig.DEFAULT, new AuthClient(http, clock, RetryPolicy.DEFAULT, d -> { }), clock);
    client = new ComputeClient(http, tokens, RetryPolicy.DEFAULT, d -> { });
    ledger = Ledger.open(dir.resolve("state/ledger.db"), Files.createDirectories(dir.resolve("watch")), clock);
  }

  @AfterEach
  void tearDown() {
    ledger.close();
    http.close();
  }

  /** What the status call answers from now on (the latest stub wins). */
  private void endpointIs(String status) {
    compute.stubFor(get("/v2/endpoints/" + FIT + "/status").willReturn(okJson("{\"status\": \"" + status + "\"}")));
  }

  private void rows(RunState state, String... keys) {
    for (String key : keys) {
      ledger.apply(Transition.of(key, state));
    }
  }

  /** One pass of the holds over the ledger's READY and HELD rows, applied. */
  private List<Transition> pass(EndpointHolds holds) {
    List<Transition> moves = holds.moves(ledger.inStates(EnumSet.of(RunState.READY)),
        ledger.inStates(EnumSet.of(RunState.HELD)));
    ledger.apply(moves);
    return moves;
  }

  private int statusCalls() {
    return compute.findAll(getRequestedFor(urlEqualTo("/v2/endpoints/" + FIT + "/status"))).size();
  }

  @Test
  void givenAnOfflineEndpoint_whenRowsAreReady_thenTheyAreHeldWithTheEndpointNamed() {
    endpointIs("offline");
    rows(RunState.READY, "run0001", "run0002");

    pass(new EndpointHolds(client, ENDPOINTS, clock));

    for (String key : List.of("run0001", "run0002")) {
      RunRecord r = ledger.get(key).orElseThrow();
      assertEquals(RunState.HELD, r.state());
      assertTrue(r.lastError().contains("frib-fit-mpi (" + FIT + ") is offline on login23.nersc.gov"),
          r.lastError());
    }
  }

  @Test
  void givenAnOnlineEndpoint_whenRowsAreHeld_thenTheyAreReadyAgainWithoutTheirError() {
    ledger.apply(Transition.of("run0001", RunState.HELD).error("frib-fit-mpi is offline"));
    rows(RunState.READY, "run0002");

    List<Transition> moves = pass(new EndpointHolds(client, ENDPOINTS, clock));

    assertEquals(1, moves.size());
    RunRecord r = ledger.get("run0001").orElseThrow();
    assertEquals(RunState.READY, r.state());
    assertNull(r.lastError());
    assertEquals(RunState.READY, ledger.get("run0002").orElseThrow().state());
  }

  @Test
  void givenTheEndpointComesBack_whenAMinuteHasPassed_thenTheHeldRowsAreReleased() {
    endpointIs("offline");
    rows(RunState.READY, "run0001");
    EndpointHolds holds = new EndpointHolds(client, ENDPOINTS, clock);
    pass(holds);
    endpointIs("online");

    clock.advance(Duration.ofSeconds(59));
    pass(holds);
    assertEquals(RunState.HELD, ledger.get("run0001").orElseThrow().state(), "the answer is kept for a minute");
    assertEquals(1, statusCalls());

    clock.advance(Duration.ofSeconds(1));
    pass(holds);
    assertEquals(RunState.READY, ledger.get("run0001").orElseThrow().state());
    assertEquals(2, statusCalls());
  }

  @Test
  void givenNoRowWaits_whenPassed_thenTheServiceIsNotAsked() {
    rows(RunState.ACTIVE, "run0001");

    assertEquals(List.of(), pass(new EndpointHolds(client, ENDPOINTS, clock)));

    assertEquals(0, compute.findAll(anyRequestedFor(urlPathMatching("/v2/endpoints/.*"))).size());
  }

  @Test
  void givenTheStatusCannotBeRead_whenRowsAreReady_thenTheyAreNotHeld() {
    compute.stubFor(get("/v2/endpoints/" + FIT + "/status").willReturn(aResponse().withStatus(404)
        .withHeader("Content-Type", "application/json").withBody("{\"error\": \"not found\"}")));
    rows(RunState.READY, "run0001");

    assertEquals(List.of(), pass(new EndpointHolds(client, ENDPOINTS, clock)));

    assertEquals(RunState.READY, ledger.get("run0001").orElseThrow().state());
  }

  @Test
  void givenNoEndpointsConfigured_whenRowsAreReady_thenNothingIsHeldAndNothingIsAsked() {
    rows(RunState.READY, "run0001");

    assertEquals(List.of(), pass(new EndpointHolds(client, List.of(), clock)));
    assertEquals(List.of(), pass(new EndpointHolds(null, ENDPOINTS, clock)));

    assertEquals(0, statusCalls());
  }
}
