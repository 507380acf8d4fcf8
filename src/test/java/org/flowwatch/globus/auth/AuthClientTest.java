package org.flowwatch.globus.auth;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.flowwatch.globus.Fixtures.CLIENT_ID;
import static org.flowwatch.globus.Fixtures.CLIENT_SECRET;
import static org.flowwatch.globus.Fixtures.COLLECTION_ID;
import static org.flowwatch.globus.Fixtures.FLOW_ID;
import static org.flowwatch.globus.Fixtures.NATIVE_CLIENT_ID;
import static org.flowwatch.globus.Fixtures.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.flowwatch.globus.AuthMode;
import org.flowwatch.globus.AuthenticationException;
import org.flowwatch.globus.ConsentRequiredException;
import org.flowwatch.globus.GlobusHttp;
import org.flowwatch.globus.InvalidRequestException;
import org.flowwatch.globus.MutableClock;
import org.flowwatch.globus.Problem;
import org.flowwatch.globus.RetryPolicy;
import org.flowwatch.globus.TestServices;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class AuthClientTest {

  @RegisterExtension static WireMockExtension wm = TestServices.wireMock();

  private static final String TOKEN_PATH = "/v2/oauth2/token";
  private static final Instant NOW = Instant.parse("2026-01-02T03:00:00Z");
  private static final String NATIVE = NATIVE_CLIENT_ID.toString();

  private final List<Duration> sleeps = new ArrayList<>();
  private GlobusHttp http;
  private AuthClient auth;

  @BeforeEach
  void setUp() {
    http = TestServices.http(wm);
    auth = new AuthClient(http, new MutableClock(NOW), RetryPolicy.DEFAULT, sleeps::add);
  }

  @AfterEach
  void tearDown() {
    http.close();
  }

  @Test
  void clientCredentialsSendsTheDependentScopeWithBasicAuthentication() {
    String scope = Scopes.flowStartScope(Scopes.flowUserScope(FLOW_ID), List.of(COLLECTION_ID));
    String basic = "Basic " + Base64.getEncoder()
        .encodeToString((CLIENT_ID + ":" + CLIENT_SECRET).getBytes(StandardCharsets.UTF_8));
    wm.stubFor(post(urlEqualTo(TOKEN_PATH))
        .withHeader("Authorization", equalTo(basic))
        .withHeader("Content-Type", containing("application/x-www-form-urlencoded"))
        .withFormParam("grant_type", equalTo("client_credentials"))
        .withFormParam("scope", equalTo(scope))
        .willReturn(okJson(json("auth/token-client-credentials.json"))));

    Map<String, Token> tokens = auth.clientCredentials(CLIENT_ID, CLIENT_SECRET, scope);

    Token flow = tokens.get(FLOW_ID.toString());
    assertEquals("AgX-client-flow-token", flow.accessToken());
    assertNull(flow.refreshToken());
    assertEquals(NOW.plusSeconds(172800), flow.expiresAt());
    wm.verify(1, postRequestedFor(urlEqualTo(TOKEN_PATH))
        .withoutFormParam("client_id").withoutFormParam("client_secret"));
  }

  @Test
  void indexesTheTopTokenAndOtherTokensByResourceServer() {
    wm.stubFor(post(urlEqualTo(TOKEN_PATH)).willReturn(okJson(json("auth/token-login.json"))));

    Map<String, Token> tokens = auth.exchangeCode(NATIVE, "the-code", "the-verifier", NativeLogin.DEFAULT_REDIRECT_URI);

    assertEquals(Set.of("transfer.api.globus.org", FLOW_ID.toString(), "flows.globus.org"), tokens.keySet());
    assertEquals("AgX-login-transfer-token", tokens.get("transfer.api.globus.org").accessToken());
    assertEquals("AgX-login-flow-token", tokens.get(FLOW_ID.toString()).accessToken());
    assertEquals("AgR-login-flow-refresh", tokens.get(FLOW_ID.toString()).refreshToken());
    assertEquals("AgX-login-flows-service-token", tokens.get("flows.globus.org").accessToken());
    assertEquals(Scopes.FLOWS_RUN_STATUS_SCOPE, tokens.get("flows.globus.org").scope());
  }

  @Test
  void codeExchangeSendsVerifierRedirectAndClientIdButNoSecret() {
    wm.stubFor(post(urlEqualTo(TOKEN_PATH)).willReturn(okJson(json("auth/token-login.json"))));

    auth.exchangeCode(NATIVE, " the-code\n", "the-verifier", NativeLogin.DEFAULT_REDIRECT_URI);

    wm.verify(1, postRequestedFor(urlEqualTo(TOKEN_PATH))
        .withoutHeader("Authorization")
        .withFormParam("grant_type", equalTo("authorization_code"))
        .withFormParam("code", equalTo("the-code"))
        .withFormParam("code_verifier", equalTo("the-verifier"))
        .withFormParam("redirect_uri", equalTo("https://auth.globus.org/v2/web/auth-code"))
        .withFormParam("client_id", equalTo(NATIVE)));
  }

  @Test
  void refreshSendsTheNativeClientIdInTheFormWithoutBasic() {
    wm.stubFor(post(urlEqualTo(TOKEN_PATH)).willReturn(okJson(json("auth/token-refresh-flows.json"))));

    Map<String, Token> tokens = auth.refresh(NATIVE, "AgR-saved-refresh");

    assertEquals("AgX-refreshed-flows-service-token", tokens.get("flows.globus.org").accessToken());
    assertNull(tokens.get("flows.globus.org").refreshToken(), "Auth sent no new refresh token");
    wm.verify(1, postRequestedFor(urlEqualTo(TOKEN_PATH))
        .withoutHeader("Authorization")
        .withFormParam("grant_type", equalTo("refresh_token"))
        .withFormParam("refresh_token", equalTo("AgR-saved-refresh"))
        .withFormParam("client_id", equalTo(NATIVE)));
  }

  @Test
  void rejectedClientCredentialsPointAtTheVariablesWithoutShowingTheSecret() {
    wm.stubFor(post(urlEqualTo(TOKEN_PATH))
        .willReturn(aResponse().withStatus(401).withHeader("Content-Type", "application/json")
            .withBody(json("auth/error-invalid-client.json"))));

    AuthenticationException e = assertThrows(AuthenticationException.class,
        () -> auth.clientCredentials(CLIENT_ID, CLIENT_SECRET, Scopes.FLOWS_RUN_STATUS_SCOPE));

    assertTrue(e.getMessage().contains("Check GLOBUS_CLIENT_ID/GLOBUS_CLIENT_SECRET"), e.getMessage());
    assertTrue(e.getMessage().contains("401 invalid_client"), e.getMessage());
    assertFalse(e.getMessage().contains(CLIENT_SECRET), e.getMessage());
    assertFalse(e.getMessage().contains("Basic "), e.getMessage());
    wm.verify(1, postRequestedFor(urlEqualTo(TOKEN_PATH)));
  }

  @Test
  void revokedRefreshTokenSaysToLogInAgainWithoutShowingIt() {
    wm.stubFor(post(urlEqualTo(TOKEN_PATH))
        .willReturn(aResponse().withStatus(400).withHeader("Content-Type", "application/json")
            .withBody(json("auth/error-invalid-grant.json"))));

    AuthenticationException e = assertThrows(AuthenticationException.class,
        () -> auth.refresh(NATIVE, "AgR-revoked-refresh"));

    assertTrue(e.getMessage().contains("The saved login has expired or been revoked; run 'flowwatch login'"), e.getMessage());
    assertFalse(e.getMessage().contains("AgR-revoked-refresh"), e.getMessage());
  }

  @Test
  void dependentConsentRequiredNamesTheUnapprovedScope() {
    wm.stubFor(post(urlEqualTo(TOKEN_PATH))
        .willReturn(aResponse().withStatus(403).withHeader("Content-Type", "application/json")
            .withBody(json("auth/error-dependent-consent.json"))));

    ConsentRequiredException e = assertThrows(ConsentRequiredException.class,
        () -> auth.refresh(NATIVE, "AgR-saved-refresh"));

    String flowScope = Scopes.flowUserScope(FLOW_ID);
    assertEquals(List.of(flowScope), e.requiredScopes());
    assertEquals(AuthMode.USER, e.mode());
    assertTrue(e.getMessage().contains("flowwatch login --scope '" + flowScope + "'"), e.getMessage());
    assertTrue(e.getMessage().contains("c7f3a1e2-5b6d-4e8f-9a0b-1c2d3e4f5a6b"), e.getMessage());
  }

  @Test
  void unknownScopeIsAnInvalidRequestNamingTheScope() {
    wm.stubFor(post(urlEqualTo(TOKEN_PATH))
        .willReturn(aResponse().withStatus(400).withHeader("Content-Type", "application/json")
            .withBody("{\"error\": \"invalid_scope\", \"error_description\": \"Unknown Scope\"}")));

    InvalidRequestException e = assertThrows(InvalidRequestException.class,
        () -> auth.clientCredentials(CLIENT_ID, CLIENT_SECRET, "https://auth.globus.org/scopes/nope/data_access"));

    assertEquals(List.of(new Problem("scope", "Unknown Scope")), e.problems());
    assertTrue(e.getMessage().contains("'https://auth.globus.org/scopes/nope/data_access'"), e.getMessage());
  }

  @Test
  void tokenEndpointOutageIsRetriedBecauseAGrantIsSafeToRepeat() {
    wm.stubFor(post(urlEqualTo(TOKEN_PATH)).inScenario("auth outage").whenScenarioStateIs(STARTED)
        .willReturn(aResponse().withStatus(503)).willSetStateTo("back"));
    wm.stubFor(post(urlEqualTo(TOKEN_PATH)).inScenario("auth outage").whenScenarioStateIs("back")
        .willReturn(okJson(json("auth/token-client-credentials-flows.json"))));

    Map<String, Token> tokens = auth.clientCredentials(CLIENT_ID, CLIENT_SECRET, Scopes.FLOWS_RUN_STATUS_SCOPE);

    assertEquals("AgX-client-flows-service-token", tokens.get("flows.globus.org").accessToken());
    assertEquals(1, sleeps.size());
    wm.verify(2, postRequestedFor(urlEqualTo(TOKEN_PATH)));
  }
}
