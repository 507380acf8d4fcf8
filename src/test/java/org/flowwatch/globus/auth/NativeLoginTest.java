package org.flowwatch.globus.auth;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.flowwatch.globus.Fixtures.FLOW_ID;
import static org.flowwatch.globus.Fixtures.NATIVE_CLIENT_ID;
import static org.flowwatch.globus.Fixtures.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import okhttp3.HttpUrl;
import org.flowwatch.globus.GlobusHttp;
import org.flowwatch.globus.MutableClock;
import org.flowwatch.globus.TestServices;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class NativeLoginTest {

  @RegisterExtension static WireMockExtension wm = TestServices.wireMock();

  @TempDir Path dir;

  private GlobusHttp http;
  private AuthClient auth;
  private TokenStore store;

  @BeforeEach
  void setUp() {
    http = TestServices.http(wm);
    auth = new AuthClient(http, new MutableClock(Instant.parse("2026-01-02T03:00:00Z")));
    store = new TokenStore(dir.resolve("tokens.json"));
  }

  @AfterEach
  void tearDown() {
    http.close();
  }

  @Test
  void verifierIs43UrlSafeCharactersAndFreshEachTime() {
    Set<String> seen = new HashSet<>();
    SecureRandom random = new SecureRandom();
    for (int i = 0; i < 50; i++) {
      String verifier = NativeLogin.newVerifier(random);
      assertTrue(verifier.matches("[A-Za-z0-9_-]{43}"), verifier);
      assertTrue(seen.add(verifier), "repeated verifier");
    }
  }

  @Test
  void challengeIsUnpaddedBase64UrlOfTheVerifiersSha256() {
    // RFC 7636 appendix B.
    assertEquals("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
        NativeLogin.challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"));
  }

  @Test
  void authorizeUrlCarriesEveryPkceAndOfflineParameter() {
    NativeLogin login = new NativeLogin(auth, store, NATIVE_CLIENT_ID);
    String startScope = Scopes.flowStartScope(Scopes.flowUserScope(FLOW_ID), List.of());

    HttpUrl url = HttpUrl.get(login.authorizeUrl(List.of(startScope, Scopes.FLOWS_RUN_STATUS_SCOPE)));

    assertEquals(wm.baseUrl() + "/v2/oauth2/authorize", url.newBuilder().query(null).build().toString());
    assertEquals(NATIVE_CLIENT_ID.toString(), url.queryParameter("client_id"));
    // The code page is the overridden Auth's own, as in the Globus SDK: its codes are good only there.
    assertEquals(wm.baseUrl() + "/v2/web/auth-code", url.queryParameter("redirect_uri"));
    assertEquals(startScope + " " + Scopes.FLOWS_RUN_STATUS_SCOPE, url.queryParameter("scope"));
    assertEquals(login.state(), url.queryParameter("state"));
    assertEquals("code", url.queryParameter("response_type"));
    assertEquals(NativeLogin.challenge(login.verifier()), url.queryParameter("code_challenge"));
    assertEquals("S256", url.queryParameter("code_challenge_method"));
    assertEquals("offline", url.queryParameter("access_type"));
    assertEquals("flowwatch", url.queryParameter("prefill_named_grant"));
    assertNotEquals(login.verifier(), url.queryParameter("code_challenge"));
  }

  @Test
  void completeExchangesTheCodeAndSavesEveryTokenPrivately() throws Exception {
    wm.stubFor(post(urlEqualTo("/v2/oauth2/token"))
        .withFormParam("grant_type", equalTo("authorization_code"))
        .willReturn(okJson(json("auth/token-login.json"))));
    NativeLogin login = new NativeLogin(auth, store, NATIVE_CLIENT_ID);

    Set<String> saved = login.complete("pasted-code");

    assertEquals(Set.of("transfer.api.globus.org", FLOW_ID.toString(), "flows.globus.org"), saved);
    assertEquals("AgX-login-flow-token", store.load(NATIVE_CLIENT_ID.toString()).get(FLOW_ID.toString()).accessToken());
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(store.file())));
    wm.verify(postRequestedFor(urlEqualTo("/v2/oauth2/token"))
        .withFormParam("code", equalTo("pasted-code"))
        .withFormParam("code_verifier", equalTo(login.verifier())));
  }
}
