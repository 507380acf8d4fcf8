package org.flowwatch.globus.transfer;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.flowwatch.globus.Fixtures.COLLECTION_ID;
import static org.flowwatch.globus.Fixtures.NATIVE_CLIENT_ID;
import static org.flowwatch.globus.Fixtures.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.flowwatch.globus.ConsentRequiredException;
import org.flowwatch.globus.GlobusHttp;
import org.flowwatch.globus.MutableClock;
import org.flowwatch.globus.NotFoundException;
import org.flowwatch.globus.RetryPolicy;
import org.flowwatch.globus.ServiceUnavailableException;
import org.flowwatch.globus.ServiceUrls;
import org.flowwatch.globus.TestServices;
import org.flowwatch.globus.auth.AuthClient;
import org.flowwatch.globus.auth.Scopes;
import org.flowwatch.globus.auth.TestTokenManagers;
import org.flowwatch.globus.auth.Token;
import org.flowwatch.globus.auth.TokenStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The Transfer client against WireMock answers shaped as reference/globus-rest.md §5.2 and §5.5 show. */
class TransferClientTest {
  @RegisterExtension static WireMockExtension wm = TestServices.wireMock();

  static final Instant NOW = Instant.parse("2026-01-02T03:00:00Z");
  static final String TOKEN = "AgX-user-transfer-token";
  static final String LS = "/v0.10/operation/endpoint/" + COLLECTION_ID + "/ls";

  @TempDir Path dir;
  final List<Duration> sleeps = new ArrayList<>();
  GlobusHttp http;
  TransferClient transfer;

  @BeforeEach
  void setUp() {
    TokenStore store = new TokenStore(dir.resolve("tokens.json"));
    store.save(NATIVE_CLIENT_ID.toString(), List.of(new Token(Scopes.TRANSFER_RESOURCE_SERVER, TOKEN, "AgR-transfer",
        NOW.plus(Duration.ofHours(10)), Scopes.TRANSFER_SCOPE)));
    http = new GlobusHttp(ServiceUrls.from(Map.of("GLOBUS_SDK_SERVICE_URL_AUTH", wm.baseUrl(),
        "GLOBUS_SDK_SERVICE_URL_TRANSFER", wm.baseUrl())), Duration.ofSeconds(5));
    MutableClock clock = new MutableClock(NOW);
    AuthClient auth = new AuthClient(http, clock, RetryPolicy.DEFAULT, sleeps::add);
    transfer = new TransferClient(http, TestTokenManagers.forUser(NATIVE_CLIENT_ID.toString(), store, auth, clock),
        TransferClient.scopeFor(List.of(COLLECTION_ID)), RetryPolicy.DEFAULT, sleeps::add);
  }

  @AfterEach
  void close() {
    http.close();
  }

  @Test
  void theScopeAsksForEachMappedCollectionsDataAccessAsAnOptionalDependency() {
    assertEquals("urn:globus:auth:scope:transfer.api.globus.org:all[*https://auth.globus.org/scopes/"
        + COLLECTION_ID + "/data_access]", TransferClient.scopeFor(List.of(COLLECTION_ID, COLLECTION_ID)));
    assertEquals(Scopes.TRANSFER_SCOPE, TransferClient.scopeFor(List.of()));
  }

  @Test
  void listsTheDirectoryWithTheTransferToken() {
    wm.stubFor(get(urlPathEqualTo(LS)).withQueryParam("path", equalTo("/data/")).withQueryParam("limit", equalTo("1"))
        .withHeader("Authorization", equalTo("Bearer " + TOKEN)).willReturn(okJson(json("transfer/ls-data.json"))));

    DirectoryListing listing = transfer.list(COLLECTION_ID, "/data/");

    assertEquals(List.of("run1"), listing.names());
    assertEquals(2, listing.total());
    assertEquals("/home/u/data/", listing.absolutePath());
  }

  @Test
  void missingDataAccessConsentNamesTheScopeToConsentTo() {
    wm.stubFor(get(urlPathEqualTo(LS)).willReturn(aResponse().withStatus(403)
        .withHeader("Content-Type", "application/json").withBody(json("transfer/error-consent-required.json"))));

    ConsentRequiredException e = assertThrows(ConsentRequiredException.class,
        () -> transfer.list(COLLECTION_ID, "/data/"));

    assertTrue(e.requiredScopes().get(0).contains(COLLECTION_ID + "/data_access"), e.requiredScopes().toString());
  }

  @Test
  void aMissingDirectoryIsNotFoundNamingTheConfigKeys() {
    wm.stubFor(get(urlPathEqualTo(LS)).willReturn(aResponse().withStatus(404)
        .withHeader("Content-Type", "application/json").withBody(json("transfer/error-not-found.json"))));

    NotFoundException e = assertThrows(NotFoundException.class, () -> transfer.list(COLLECTION_ID, "/data/nope/"));

    assertTrue(e.getMessage().contains("ClientError.NotFound"), e.getMessage());
    assertTrue(e.getMessage().contains("globus_root"), e.getMessage());
  }

  @Test
  void aServiceOutageIsRetriedButAStorageRefusalIsNot() {
    wm.stubFor(get(urlPathEqualTo(LS)).willReturn(aResponse().withStatus(503)
        .withHeader("Content-Type", "application/json").withBody(json("transfer/error-service-unavailable.json"))));
    assertThrows(ServiceUnavailableException.class, () -> transfer.list(COLLECTION_ID, "/data/"));
    int outageRequests = wm.findAll(getRequestedFor(urlPathEqualTo(LS))).size();
    assertTrue(outageRequests > 1, "an outage is transient: " + outageRequests + " requests");

    wm.resetRequests();
    wm.stubFor(get(urlPathEqualTo(LS)).willReturn(aResponse().withStatus(502)
        .withHeader("Content-Type", "application/json").withBody(json("check/error-ls-login-failed.json"))));
    assertThrows(org.flowwatch.globus.InvalidRequestException.class, () -> transfer.list(COLLECTION_ID, "/data/"));
    assertEquals(1, wm.findAll(getRequestedFor(urlPathEqualTo(LS))).size());
  }
}
