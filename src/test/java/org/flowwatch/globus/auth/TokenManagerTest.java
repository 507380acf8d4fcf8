package org.flowwatch.globus.auth;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.flowwatch.globus.Fixtures.CLIENT_ID;
import static org.flowwatch.globus.Fixtures.CLIENT_SECRET;
import static org.flowwatch.globus.Fixtures.FLOW_ID;
import static org.flowwatch.globus.Fixtures.NATIVE_CLIENT_ID;
import static org.flowwatch.globus.Fixtures.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.flowwatch.config.AuthConfig;
import org.flowwatch.globus.AuthMode;
import org.flowwatch.globus.AuthenticationException;
import org.flowwatch.globus.ConsentRequiredException;
import org.flowwatch.globus.Fixtures;
import org.flowwatch.globus.GlobusHttp;
import org.flowwatch.globus.MissingCredentialsException;
import org.flowwatch.globus.MutableClock;
import org.flowwatch.globus.RetryPolicy;
import org.flowwatch.globus.TestServices;
import org.flowwatch.testing.LogCapture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class TokenManagerTest {

  @RegisterExtension static WireMockExtension wm = TestServices.wireMock();

  private static final String TOKEN_PATH = "/v2/oauth2/token";
  private static final Instant START = Instant.parse("2026-01-02T03:00:00Z");
  private static final String NATIVE = NATIVE_CLIENT_ID.toString();
  private static final String FLOWS = Scopes.FLOWS_RESOURCE_SERVER;

  @TempDir Path dir;

  private final MutableClock clock = new MutableClock(START);
  private GlobusHttp http;
  private AuthClient auth;
  private TokenStore store;

  @BeforeEach
  void setUp() {
    http = TestServices.http(wm);
    auth = new AuthClient(http, clock, RetryPolicy.DEFAULT, d -> {});
    store = new TokenStore(dir.resolve("tokens.json"));
  }

  @AfterEach
  void tearDown() {
    http.close();
  }

  private Map<String, String> env(String... pairs) {
    Map<String, String> env = new HashMap<>(Map.of("XDG_STATE_HOME", dir.toString()));
    for (int i = 0; i < pairs.length; i += 2) {
      env.put(pairs[i], pairs[i + 1]);
    }
    return env;
  }

  private void saveUserToken(String resourceServer, String access, String refresh, Duration validFor) {
    store.save(NATIVE, List.of(new Token(resourceServer, access, refresh, START.plus(validFor), "saved-scope")));
  }

  private TokenManager user() {
    return TokenManager.forUser(NATIVE, store, auth, clock);
  }

  @Test
  void choosesClientModeWhenIdAndSecretAreBothSet() {
    TokenManager tokens = TokenManager.create(
        env("GLOBUS_CLIENT_ID", CLIENT_ID, "GLOBUS_CLIENT_SECRET", CLIENT_SECRET), AuthConfig.DEFAULT, auth, clock);
    assertEquals(AuthMode.CLIENT, tokens.mode());
    assertEquals(CLIENT_ID, tokens.clientId());
  }

  @Test
  void clientIdWithoutSecretNamesTheMissingVariable() {
    MissingCredentialsException e = assertThrows(MissingCredentialsException.class,
        () -> TokenManager.create(env("GLOBUS_CLIENT_ID", CLIENT_ID), AuthConfig.DEFAULT, auth, clock));
    assertTrue(e.getMessage().contains("GLOBUS_CLIENT_ID is set but GLOBUS_CLIENT_SECRET is not"), e.getMessage());

    e = assertThrows(MissingCredentialsException.class,
        () -> TokenManager.create(env("GLOBUS_CLIENT_SECRET", CLIENT_SECRET), AuthConfig.DEFAULT, auth, clock));
    assertTrue(e.getMessage().contains("GLOBUS_CLIENT_SECRET is set but GLOBUS_CLIENT_ID is not"), e.getMessage());
    assertFalse(e.getMessage().contains(CLIENT_SECRET), e.getMessage());
  }

  @Test
  void withoutClientOrSavedLoginSaysToExportVariablesOrLogIn() {
    AuthConfig config = new AuthConfig(NATIVE_CLIENT_ID, null);
    MissingCredentialsException e = assertThrows(MissingCredentialsException.class,
        () -> TokenManager.create(env(), config, auth, clock));
    assertTrue(e.getMessage().contains("export GLOBUS_CLIENT_ID and GLOBUS_CLIENT_SECRET"), e.getMessage());
    assertTrue(e.getMessage().contains("run 'flowwatch login'"), e.getMessage());

    e = assertThrows(MissingCredentialsException.class, () -> TokenManager.create(env(), AuthConfig.DEFAULT, auth, clock));
    assertTrue(e.getMessage().contains("flowwatch login"), e.getMessage());
  }

  @Test
  void usesTheLoginSavedInTheStateDirectoryInUserMode() {
    TokenStore defaultStore = TokenStore.forConfig(env(), AuthConfig.DEFAULT);
    defaultStore.save(NATIVE, List.of(new Token(FLOWS, "AgX-saved", "AgR-saved", START.plus(Duration.ofHours(1)), "s")));

    TokenManager tokens = TokenManager.create(env(), new AuthConfig(NATIVE_CLIENT_ID, null), auth, clock);

    assertEquals(AuthMode.USER, tokens.mode());
    assertEquals("AgX-saved", tokens.accessToken(FLOWS, Scopes.FLOWS_RUN_STATUS_SCOPE));
  }

  @Test
  void clientTokenIsReusedUntilFiveMinutesBeforeItExpires() {
    wm.stubFor(post(urlEqualTo(TOKEN_PATH)).willReturn(okJson(json("auth/token-client-credentials-flows.json"))));
    TokenManager tokens = TokenManager.forClient(CLIENT_ID, CLIENT_SECRET, auth, clock);

    assertEquals("AgX-client-flows-service-token", tokens.accessToken(FLOWS, Scopes.FLOWS_RUN_STATUS_SCOPE));
    clock.advance(Duration.ofHours(48).minusMinutes(6));
    tokens.accessToken(FLOWS, Scopes.FLOWS_RUN_STATUS_SCOPE);
    wm.verify(1, postRequestedFor(urlEqualTo(TOKEN_PATH)));

    clock.advance(Duration.ofMinutes(2));
    tokens.accessToken(FLOWS, Scopes.FLOWS_RUN_STATUS_SCOPE);
    wm.verify(2, postRequestedFor(urlEqualTo(TOKEN_PATH)));
  }

  @Test
  void clientAsksAgainForADifferentScopeAndAfterInvalidate() {
    wm.stubFor(post(urlEqualTo(TOKEN_PATH)).willReturn(okJson(json("auth/token-client-credentials-flows.json"))));
    TokenManager tokens = TokenManager.forClient(CLIENT_ID, CLIENT_SECRET, auth, clock);

    tokens.accessToken(FLOWS, Scopes.FLOWS_RUN_STATUS_SCOPE);
    tokens.accessToken(FLOWS, Scopes.FLOWS_MANAGE_FLOWS_SCOPE);
    tokens.accessToken(FLOWS, Scopes.FLOWS_RUN_STATUS_SCOPE);
    wm.verify(2, postRequestedFor(urlEqualTo(TOKEN_PATH)));
    wm.verify(1, postRequestedFor(urlEqualTo(TOKEN_PATH)).withFormParam("scope", equalTo(Scopes.FLOWS_MANAGE_FLOWS_SCOPE)));

    tokens.invalidate(FLOWS);
    tokens.accessToken(FLOWS, Scopes.FLOWS_RUN_STATUS_SCOPE);
    wm.verify(3, postRequestedFor(urlEqualTo(TOKEN_PATH)));
  }

  @Test
  void clientTokensAreNeverWrittenToDisk() {
    wm.stubFor(post(urlEqualTo(TOKEN_PATH)).willReturn(okJson(json("auth/token-client-credentials-flows.json"))));
    TokenManager tokens = TokenManager.create(
        env("GLOBUS_CLIENT_ID", CLIENT_ID, "GLOBUS_CLIENT_SECRET", CLIENT_SECRET), AuthConfig.DEFAULT, auth, clock);

    tokens.accessToken(FLOWS, Scopes.FLOWS_RUN_STATUS_SCOPE);

    assertFalse(Files.exists(dir.resolve("flowwatch/tokens.json")));
  }

  @Test
  void userTokenIsRefreshedBeforeExpiryKeepingTheOldRefreshToken() throws Exception {
    saveUserToken(FLOWS, "AgX-about-to-expire", "AgR-saved", Duration.ofMinutes(4));
    wm.stubFor(post(urlEqualTo(TOKEN_PATH))
        .withFormParam("grant_type", equalTo("refresh_token"))
        .withFormParam("refresh_token", equalTo("AgR-saved"))
        .withFormParam("client_id", equalTo(NATIVE))
        .willReturn(okJson(json("auth/token-refresh-flows.json"))));
    TokenManager tokens = user();

    assertEquals("AgX-refreshed-flows-service-token", tokens.accessToken(FLOWS, Scopes.FLOWS_RUN_STATUS_SCOPE));
    assertEquals("AgX-refreshed-flows-service-token", tokens.accessToken(FLOWS, Scopes.FLOWS_RUN_STATUS_SCOPE));

    wm.verify(1, postRequestedFor(urlEqualTo(TOKEN_PATH)));
    Token saved = store.load(NATIVE).get(FLOWS);
    assertEquals("AgX-refreshed-flows-service-token", saved.accessToken());
    assertEquals("AgR-saved", saved.refreshToken());
    assertEquals(START.plusSeconds(172800), saved.expiresAt());
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(store.file())));
  }

  @Test
  void userRefreshKeepsANewRefreshTokenWhenAuthRotatesIt() {
    saveUserToken(FLOW_ID.toString(), "AgX-old-flow", "AgR-old-flow", Duration.ofMinutes(1));
    wm.stubFor(post(urlEqualTo(TOKEN_PATH)).willReturn(okJson(json("auth/token-refresh-flow.json"))));

    user().accessToken(FLOW_ID.toString(), Scopes.flowUserScope(FLOW_ID));

    assertEquals("AgR-rotated-flow-refresh", store.load(NATIVE).get(FLOW_ID.toString()).refreshToken());
  }

  @Test
  void invalidatedUserTokenIsRefreshedEvenThoughItLooksValid() {
    saveUserToken(FLOWS, "AgX-revoked", "AgR-saved", Duration.ofHours(10));
    wm.stubFor(post(urlEqualTo(TOKEN_PATH)).willReturn(okJson(json("auth/token-refresh-flows.json"))));
    TokenManager tokens = user();
    assertEquals("AgX-revoked", tokens.accessToken(FLOWS, Scopes.FLOWS_RUN_STATUS_SCOPE));

    tokens.invalidate(FLOWS);

    assertEquals("AgX-refreshed-flows-service-token", tokens.accessToken(FLOWS, Scopes.FLOWS_RUN_STATUS_SCOPE));
  }

  @Test
  void userWithoutATokenForTheResourceServerMustLogInForThatScope() {
    saveUserToken(FLOWS, "AgX-flows", "AgR-flows", Duration.ofHours(10));
    String startScope = Scopes.flowStartScope(Scopes.flowUserScope(FLOW_ID), List.of(Fixtures.COLLECTION_ID));

    ConsentRequiredException e = assertThrows(ConsentRequiredException.class,
        () -> user().accessToken(FLOW_ID.toString(), startScope));

    assertEquals(List.of(startScope), e.requiredScopes());
    assertTrue(e.getMessage().contains("flowwatch login --scope '" + startScope + "'"), e.getMessage());
  }

  @Test
  void expiredUserTokenWithoutRefreshTokenAsksForANewLogin() {
    saveUserToken(FLOWS, "AgX-online-only", null, Duration.ofMinutes(1));
    AuthenticationException e = assertThrows(AuthenticationException.class,
        () -> user().accessToken(FLOWS, Scopes.FLOWS_RUN_STATUS_SCOPE));
    assertTrue(e.getMessage().contains("flowwatch login"), e.getMessage());
  }

  @Test
  void tokensAndSecretNeverReachLogsOrMessages() {
    List<String> secrets = List.of(CLIENT_SECRET, "AgX-client-flows-service-token", "AgX-about-to-expire", "AgR-saved",
        "AgX-refreshed-flows-service-token", "AgR-revoked");
    List<String> messages = new ArrayList<>();
    try (LogCapture logs = new LogCapture()) {
      wm.stubFor(post(urlEqualTo(TOKEN_PATH)).withFormParam("grant_type", equalTo("client_credentials"))
          .willReturn(okJson(json("auth/token-client-credentials-flows.json"))));
      wm.stubFor(post(urlEqualTo(TOKEN_PATH)).withFormParam("refresh_token", equalTo("AgR-saved"))
          .willReturn(okJson(json("auth/token-refresh-flows.json"))));
      wm.stubFor(post(urlEqualTo(TOKEN_PATH)).withFormParam("refresh_token", equalTo("AgR-revoked"))
          .willReturn(aResponse().withStatus(400).withBody(json("auth/error-invalid-grant.json"))));
      TokenManager.forClient(CLIENT_ID, CLIENT_SECRET, auth, clock).accessToken(FLOWS, Scopes.FLOWS_RUN_STATUS_SCOPE);
      saveUserToken(FLOWS, "AgX-about-to-expire", "AgR-saved", Duration.ofMinutes(1));
      saveUserToken("transfer.api.globus.org", "AgX-transfer", "AgR-revoked", Duration.ofMinutes(1));
      TokenManager tokens = user();
      messages.add(tokens.toString());
      tokens.accessToken(FLOWS, Scopes.FLOWS_RUN_STATUS_SCOPE);
      messages.add(store.load(NATIVE).toString());
      messages.add(assertThrows(AuthenticationException.class,
          () -> tokens.accessToken("transfer.api.globus.org", Scopes.TRANSFER_SCOPE)).getMessage());

      assertFalse(logs.lines().isEmpty(), "expected the token work to be logged at debug level");
      String everything = logs.all() + "\n" + String.join("\n", messages);
      for (String secret : secrets) {
        assertFalse(everything.contains(secret), "leaked " + secret + " in:\n" + everything);
      }
    }
  }
}
