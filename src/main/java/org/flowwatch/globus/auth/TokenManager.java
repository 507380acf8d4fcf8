package org.flowwatch.globus.auth;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.flowwatch.config.AuthConfig;
import org.flowwatch.globus.AuthMode;
import org.flowwatch.globus.AuthenticationException;
import org.flowwatch.globus.Authorization;
import org.flowwatch.globus.ConsentRequiredException;
import org.flowwatch.globus.MissingCredentialsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands out access tokens per resource server, fetching or refreshing them before they expire.
 *
 * <p>Two modes, chosen by {@link #create}: a confidential client ({@code GLOBUS_CLIENT_ID} and
 * {@code GLOBUS_CLIENT_SECRET}) asks Auth for each scope itself and keeps the tokens in memory only,
 * since it can always mint new ones and writing them down would only add exposure; a user login saved by
 * {@code flowwatch login} is refreshed with its refresh tokens and saved back to the {@link TokenStore}.
 * Thread-safe: one refresh at a time.
 */
public final class TokenManager {

  private static final Logger log = LoggerFactory.getLogger(TokenManager.class);

  public static final String CLIENT_ID_VARIABLE = "GLOBUS_CLIENT_ID";
  public static final String CLIENT_SECRET_VARIABLE = "GLOBUS_CLIENT_SECRET";

  /** A token this close to expiry is renewed first, so it cannot expire mid-call or mid-retry. */
  static final Duration EXPIRY_MARGIN = Duration.ofMinutes(5);

  private final AuthMode mode;
  private final String clientId;
  private final String clientSecret;
  private final AuthClient auth;
  private final TokenStore store;
  private final Clock clock;
  /**
   * Client mode: keyed by requested scope, since one resource server may be asked for different scopes.
   * User mode: keyed by resource server.
   */
  private final Map<String, Token> cache = new HashMap<>();

  private TokenManager(
      AuthMode mode, String clientId, String clientSecret, AuthClient auth, TokenStore store, Clock clock) {
    this.mode = mode;
    this.clientId = Objects.requireNonNull(clientId, "clientId");
    this.clientSecret = clientSecret;
    this.auth = Objects.requireNonNull(auth, "auth");
    this.store = store;
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * Client mode when GLOBUS_CLIENT_ID and GLOBUS_CLIENT_SECRET are both set, else user mode with the login
   * saved for {@code config.nativeClientId()} in the configured token file.
   *
   * @throws MissingCredentialsException when only one variable is set, or user mode has nothing saved
   */
  public static TokenManager create(Map<String, String> env, AuthConfig config, AuthClient auth, Clock clock) {
    String id = nonBlank(env.get(CLIENT_ID_VARIABLE));
    String secret = nonBlank(env.get(CLIENT_SECRET_VARIABLE));
    if (id != null && secret != null) {
      return forClient(id, secret, auth, clock);
    }
    String action = "find Globus credentials";
    if (id != null || secret != null) {
      String set = id != null ? CLIENT_ID_VARIABLE : CLIENT_SECRET_VARIABLE;
      String missing = id != null ? CLIENT_SECRET_VARIABLE : CLIENT_ID_VARIABLE;
      throw new MissingCredentialsException(action, set + " is set but " + missing + " is not",
          "Export " + missing + " too (a confidential client needs both), or unset " + set
              + " to use the login saved by 'flowwatch login'.");
    }
    AuthConfig effective = config == null ? AuthConfig.DEFAULT : config;
    if (effective.nativeClientId() == null) {
      throw new MissingCredentialsException(action,
          "neither " + CLIENT_ID_VARIABLE + "/" + CLIENT_SECRET_VARIABLE + " is set nor a native client id configured",
          "Either export " + CLIENT_ID_VARIABLE + " and " + CLIENT_SECRET_VARIABLE + " for a confidential client,"
              + " or configure the native client id in the auth section and run 'flowwatch login'.");
    }
    return forUser(effective.nativeClientId().toString(), TokenStore.forConfig(env, effective), auth, clock);
  }

  /** A confidential client. */
  static TokenManager forClient(String clientId, String clientSecret, AuthClient auth, Clock clock) {
    Objects.requireNonNull(clientSecret, "clientSecret");
    return new TokenManager(AuthMode.CLIENT, clientId, clientSecret, auth, null, clock);
  }

  /** A user login saved in {@code store} under {@code nativeClientId}. */
  static TokenManager forUser(String nativeClientId, TokenStore store, AuthClient auth, Clock clock) {
    Objects.requireNonNull(store, "store");
    TokenManager manager = new TokenManager(AuthMode.USER, nativeClientId, null, auth, store, clock);
    Map<String, Token> saved = store.load(nativeClientId);
    if (saved.isEmpty()) {
      throw new MissingCredentialsException("find Globus credentials",
          "there is no saved login for native client " + nativeClientId + " in " + store.file(),
          "Either export " + CLIENT_ID_VARIABLE + " and " + CLIENT_SECRET_VARIABLE
              + " for a confidential client, or run 'flowwatch login'.");
    }
    manager.cache.putAll(saved);
    return manager;
  }

  public AuthMode mode() {
    return mode;
  }

  /** The client id tokens are issued to (the confidential client, or the native app). */
  public String clientId() {
    return clientId;
  }

  /**
   * An access token for {@code resourceServer} that is good for at least five more minutes.
   *
   * @param scope what to request in client mode, and the scope to log in for when a user has none
   * @throws ConsentRequiredException in user mode when the saved login has no token for the resource server
   */
  public synchronized String accessToken(String resourceServer, String scope) {
    Objects.requireNonNull(resourceServer, "resourceServer");
    Token token = mode == AuthMode.CLIENT ? clientToken(resourceServer, scope) : userToken(resourceServer, scope);
    return token.accessToken();
  }

  /** Forgets the access token for {@code resourceServer}, e.g. after a 401, so the next use renews it. */
  public synchronized void invalidate(String resourceServer) {
    if (mode == AuthMode.CLIENT) {
      cache.values().removeIf(token -> token.resourceServer().equals(resourceServer));
    } else {
      cache.computeIfPresent(resourceServer, (key, token) -> token.expired());
    }
  }

  /**
   * How a call to {@code resourceServer} authenticates: a bearer token fetched or refreshed by this
   * manager as needed, dropped and renewed once when the service rejects it.
   */
  public Authorization bearer(String resourceServer, String scope) {
    TokenManager tokens = this;
    return new Authorization() {
      @Override
      public String header() {
        return "Bearer " + tokens.accessToken(resourceServer, scope);
      }

      @Override
      public boolean renew() {
        tokens.invalidate(resourceServer);
        return true;
      }

      @Override
      public String scope() {
        return scope;
      }

      @Override
      public AuthMode mode() {
        return tokens.mode();
      }

      @Override
      public String clientId() {
        return tokens.clientId();
      }
    };
  }

  private Token clientToken(String resourceServer, String scope) {
    Objects.requireNonNull(scope, "scope");
    Token cached = cache.get(scope);
    if (cached != null && cached.resourceServer().equals(resourceServer) && usable(cached)) {
      return cached;
    }
    Map<String, Token> issued = auth.clientCredentials(clientId, clientSecret, scope);
    Token token = pick(issued, resourceServer, "get a Globus token for " + resourceServer);
    cache.put(scope, token);
    log.debug("Got a client token for {} valid until {}", resourceServer, token.expiresAt());
    return token;
  }

  private Token userToken(String resourceServer, String scope) {
    Token cached = cache.get(resourceServer);
    if (cached != null && usable(cached)) {
      return cached;
    }
    // Another process (the agent, or 'flowwatch login') may have refreshed or added it meanwhile.
    Token saved = store.load(clientId).get(resourceServer);
    if (saved != null && usable(saved) && (cached == null || !saved.accessToken().equals(cached.accessToken()))) {
      cache.put(resourceServer, saved);
      return saved;
    }
    Token current = saved != null ? saved : cached;
    String action = "get a Globus token for " + resourceServer;
    if (current == null) {
      throw new ConsentRequiredException(action,
          "the saved login has no token for " + resourceServer + (scope == null ? "" : " (scope '" + scope + "')"),
          scope == null ? List.of() : List.of(scope), AuthMode.USER, clientId, null);
    }
    if (current.refreshToken() == null) {
      throw new AuthenticationException(action,
          "the saved token for " + resourceServer + " has expired and cannot be refreshed",
          "Run 'flowwatch login' again.", null);
    }
    Map<String, Token> issued = auth.refresh(clientId, current.refreshToken());
    Token fresh = pick(issued, resourceServer, action).keepingRefreshTokenOf(current);
    List<Token> toSave = new ArrayList<>();
    toSave.add(fresh);
    issued.values().stream().filter(t -> !t.resourceServer().equals(resourceServer)).forEach(toSave::add);
    store.save(clientId, toSave);
    toSave.forEach(t -> cache.put(t.resourceServer(), t));
    log.debug("Refreshed the user token for {}; valid until {}", resourceServer, fresh.expiresAt());
    return fresh;
  }

  private boolean usable(Token token) {
    return token.isUsableAt(clock.instant(), EXPIRY_MARGIN);
  }

  /** The token for {@code resourceServer}; a lone token is accepted whatever Auth called its server. */
  private static Token pick(Map<String, Token> issued, String resourceServer, String action) {
    Token token = issued.get(resourceServer);
    if (token != null) {
      return token;
    }
    if (issued.size() == 1) {
      Token only = issued.values().iterator().next();
      log.warn("Asked Globus Auth for a token for {} but got one for {}; using it",
          resourceServer, only.resourceServer());
      return only;
    }
    throw new AuthenticationException(action,
        "Globus Auth returned tokens for " + String.join(", ", issued.keySet()) + " but not for " + resourceServer,
        "Check that the scope requested belongs to " + resourceServer + ".", null);
  }

  private static String nonBlank(String value) {
    return value == null || value.isBlank() ? null : value.trim();
  }
}
