package org.flowwatch.globus.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import okhttp3.HttpUrl;

/**
 * One interactive login of a native app (authorization code with PKCE, S256): build the URL the user
 * opens, then {@link #complete} with the code Globus shows them. Each instance holds its own verifier
 * and state, so use a new one per login.
 */
public final class NativeLogin {

  /**
   * Globus's page that shows the code for the user to paste, on production Auth. With the Auth URL
   * overridden (a sandbox or test environment), the page of that Auth is used instead, as the Globus
   * SDK does: the code it shows is only good for the Auth that issued it.
   */
  public static final String DEFAULT_REDIRECT_URI = "https://auth.globus.org/v2/web/auth-code";
  private static final String CODE_PAGE = "/v2/web/auth-code";

  /** Label for this grant on the user's Globus consents page. */
  public static final String GRANT_NAME = "flowwatch";

  private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

  private final AuthClient auth;
  private final TokenStore store;
  private final String clientId;
  private final String redirectUri;
  private final String verifier;
  private final String state;

  public NativeLogin(AuthClient auth, TokenStore store, UUID nativeClientId) {
    this(auth, store, nativeClientId, auth.authBase().toString().replaceAll("/+$", "") + CODE_PAGE, new SecureRandom());
  }

  /**
   * @param redirectUri where Auth sends the code: the default page, or {@code http://localhost:<port>}
   */
  public NativeLogin(AuthClient auth, TokenStore store, UUID nativeClientId, String redirectUri, SecureRandom random) {
    this.auth = Objects.requireNonNull(auth, "auth");
    this.store = Objects.requireNonNull(store, "store");
    this.clientId = Objects.requireNonNull(nativeClientId, "nativeClientId").toString();
    this.redirectUri = Objects.requireNonNull(redirectUri, "redirectUri");
    this.verifier = newVerifier(random);
    this.state = newVerifier(random).substring(0, 16);
  }

  /** The URL to open in a browser to log in and consent to {@code scopes}. */
  public String authorizeUrl(List<String> scopes) {
    if (scopes == null || scopes.isEmpty()) {
      throw new IllegalArgumentException("at least one scope is needed to log in");
    }
    HttpUrl base = HttpUrl.get(auth.authBase() + "/v2/oauth2/authorize");
    return base.newBuilder()
        .addQueryParameter("client_id", clientId)
        .addQueryParameter("redirect_uri", redirectUri)
        .addQueryParameter("scope", String.join(" ", scopes))
        .addQueryParameter("state", state)
        .addQueryParameter("response_type", "code")
        .addQueryParameter("code_challenge", challenge(verifier))
        .addQueryParameter("code_challenge_method", "S256")
        .addQueryParameter("access_type", "offline")
        .addQueryParameter("prefill_named_grant", GRANT_NAME)
        .build()
        .toString();
  }

  /** The state sent with the authorize URL; a localhost redirect must come back with the same value. */
  public String state() {
    return state;
  }

  String verifier() {
    return verifier;
  }

  /**
   * Exchanges the code and saves every token it yields to the token store, keeping tokens for other
   * resource servers that were saved before.
   *
   * @return the resource servers that now have a saved token
   */
  public Set<String> complete(String code) {
    if (code == null || code.isBlank()) {
      throw new IllegalArgumentException("the login code is empty");
    }
    Map<String, Token> tokens = auth.exchangeCode(clientId, code, verifier, redirectUri);
    store.save(clientId, tokens.values());
    return Set.copyOf(tokens.keySet());
  }

  /** 32 random bytes, base64url without padding: 43 characters from the PKCE alphabet. */
  static String newVerifier(SecureRandom random) {
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    return BASE64URL.encodeToString(bytes);
  }

  /** base64url(sha256(verifier)) without padding. */
  static String challenge(String verifier) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
      return BASE64URL.encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
