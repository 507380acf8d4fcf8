package org.flowwatch.globus.auth;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import okhttp3.Credentials;
import org.flowwatch.globus.ApiCaller;
import org.flowwatch.globus.AuthMode;
import org.flowwatch.globus.AuthenticationException;
import org.flowwatch.globus.Authorization;
import org.flowwatch.globus.ErrorMapper;
import org.flowwatch.globus.GlobusException;
import org.flowwatch.globus.GlobusHttp;
import org.flowwatch.globus.HttpFailure;
import org.flowwatch.globus.InvalidRequestException;
import org.flowwatch.globus.Problem;
import org.flowwatch.globus.RetryPolicy;
import org.flowwatch.globus.Sleeper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Globus Auth's token endpoint: client credentials, authorization-code exchange and refresh. Every method
 * returns the tokens indexed by resource server (Auth puts one at the top and the rest in
 * {@code other_tokens}, in no guaranteed order).
 */
public final class AuthClient {

  private static final Logger log = LoggerFactory.getLogger(AuthClient.class);

  /** OAuth error codes that mean "these credentials are no good", as opposed to a bad scope. */
  private static final Set<String> REJECTED_CREDENTIALS =
      Set.of("invalid_grant", "invalid_client", "unauthorized_client");

  private final AuthApi api;
  private final URI authBase;
  private final ErrorMapper errors;
  private final ApiCaller retrying;
  private final ApiCaller single;
  private final Clock clock;

  public AuthClient(GlobusHttp http, Clock clock) {
    this(http, clock, RetryPolicy.DEFAULT, Sleeper.SYSTEM);
  }

  public AuthClient(GlobusHttp http, Clock clock, RetryPolicy policy, Sleeper sleeper) {
    this.api = http.api(http.urls().auth(), AuthApi.class);
    this.authBase = http.urls().auth();
    this.errors = new ErrorMapper(http.mapper());
    this.retrying = new ApiCaller("the token endpoint", errors, policy, sleeper);
    // An authorization code works once: repeating the exchange after a lost answer only earns invalid_grant.
    this.single = new ApiCaller("the token endpoint", errors, new RetryPolicy(0, Duration.ZERO, Duration.ZERO, Duration.ZERO), sleeper);
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** Where Globus Auth lives, for building the browser authorize URL. */
  URI authBase() {
    return authBase;
  }

  /**
   * Tokens for a confidential client's own identity. A grant is safe to repeat, so transient failures
   * are retried.
   *
   * @param scope one scope string, dependencies in brackets allowed
   */
  public Map<String, Token> clientCredentials(String clientId, String clientSecret, String scope) {
    Objects.requireNonNull(clientId, "clientId");
    Objects.requireNonNull(clientSecret, "clientSecret");
    String action = "get a Globus token for client " + clientId + " with scope '" + scope + "'";
    String basic = Credentials.basic(clientId, clientSecret, StandardCharsets.UTF_8);
    Instant requested = clock.instant();
    TokenResponse response = retrying.repeatable(action,
        Authorization.fixed(basic, scope, AuthMode.CLIENT, clientId),
        header -> api.clientCredentials(header, "client_credentials", scope),
        failure -> tokenEndpointFailure(action, failure, scope,
            "Check GLOBUS_CLIENT_ID/GLOBUS_CLIENT_SECRET: they must be the id and a current secret of a"
                + " confidential client registered at app.globus.org."));
    return index(action, response, requested);
  }

  /** Exchanges the code from the browser login (PKCE, native client). Not retried. */
  public Map<String, Token> exchangeCode(String nativeClientId, String code, String verifier, String redirectUri) {
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(verifier, "verifier");
    Objects.requireNonNull(redirectUri, "redirectUri");
    String action = "exchange the login code with Globus Auth for native client " + nativeClientId;
    Instant requested = clock.instant();
    TokenResponse response = single.repeatable(action,
        Authorization.fixed(null, null, AuthMode.USER, nativeClientId),
        header -> api.authorizationCode("authorization_code", code.trim(), verifier, redirectUri, nativeClientId),
        failure -> tokenEndpointFailure(action, failure, null,
            "The code may be mistyped, already used or expired: run 'flowwatch login' again and paste the"
                + " new code promptly."));
    return index(action, response, requested);
  }

  /** A new access token for the resource server the refresh token belongs to (native client). */
  public Map<String, Token> refresh(String nativeClientId, String refreshToken) {
    Objects.requireNonNull(refreshToken, "refreshToken");
    String action = "refresh the saved Globus login (native client " + nativeClientId + ")";
    Instant requested = clock.instant();
    TokenResponse response = retrying.repeatable(action,
        Authorization.fixed(null, null, AuthMode.USER, nativeClientId),
        header -> api.refreshToken("refresh_token", refreshToken, nativeClientId),
        failure -> tokenEndpointFailure(action, failure, null,
            "The saved login has expired or been revoked; run 'flowwatch login'."));
    return index(action, response, requested);
  }

  /** OAuth errors get advice specific to the grant; everything else goes to the common mapping. */
  private GlobusException tokenEndpointFailure(String action, HttpFailure failure, String scope, String remedy) {
    if (failure.status() != 400 && failure.status() != 401) {
      return null;
    }
    ErrorMapper.ErrorBody body = errors.parse(failure.body());
    String reason = "Globus Auth answered " + errors.describe(failure);
    if (body.isConsent()) {
      return null;
    }
    if ("invalid_scope".equals(body.code())) {
      return new InvalidRequestException(action, reason,
          List.of(new Problem("scope", body.text() == null ? "unknown or not allowed" : body.text())),
          "Check the flow id, and that every collection marked data_access is a GCSv5 mapped collection"
              + " (guest collections have no data_access scope).",
          null);
    }
    if (body.code() == null || REJECTED_CREDENTIALS.contains(body.code()) || failure.status() == 401) {
      return new AuthenticationException(action, reason, remedy, null);
    }
    return null;
  }

  private Map<String, Token> index(String action, TokenResponse response, Instant requested) {
    Map<String, Token> tokens = new LinkedHashMap<>();
    add(tokens, response, requested);
    response.otherTokens().forEach(other -> add(tokens, other, requested));
    if (tokens.isEmpty()) {
      throw new AuthenticationException(action, "Globus Auth's answer contained no usable token",
          "Try again; if it persists, report it with the time of the attempt.", null);
    }
    return Collections.unmodifiableMap(tokens);
  }

  /** Expiry counts from when we asked, not when the answer arrived, so we never think a token lives longer. */
  private static void add(Map<String, Token> tokens, TokenResponse response, Instant requested) {
    if (response.accessToken() == null || response.resourceServer() == null) {
      log.warn("Globus Auth returned a token entry without access_token or resource_server; ignoring it");
      return;
    }
    long seconds = response.expiresIn() == null ? 0 : Math.max(0, response.expiresIn());
    tokens.put(response.resourceServer(),
        new Token(response.resourceServer(), response.accessToken(), response.refreshToken(),
            requested.plusSeconds(seconds), response.scope()));
  }
}
