package org.flowwatch.globus.auth;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * An access token for one resource server. {@link #toString()} never shows the token values.
 *
 * @param resourceServer e.g. {@code flows.globus.org}, or a flow id for a flow's own scope
 * @param accessToken the bearer token
 * @param refreshToken the refresh token, or null (client credentials never get one)
 * @param expiresAt when the access token stops working
 * @param scope the scope Globus Auth reported for it
 */
public record Token(String resourceServer, String accessToken, String refreshToken, Instant expiresAt, String scope) {

  public Token {
    Objects.requireNonNull(resourceServer, "resourceServer");
    Objects.requireNonNull(accessToken, "accessToken");
    Objects.requireNonNull(expiresAt, "expiresAt");
    scope = scope == null ? "" : scope;
  }

  /** True when the token still works {@code margin} after {@code now}. */
  public boolean isUsableAt(Instant now, Duration margin) {
    return expiresAt.isAfter(now.plus(margin));
  }

  /** The same token, marked as already expired so the next use renews it. */
  Token expired() {
    return new Token(resourceServer, accessToken, refreshToken, Instant.EPOCH, scope);
  }

  /** This token, keeping {@code previous}'s refresh token when Auth did not send a new one. */
  Token keepingRefreshTokenOf(Token previous) {
    if (refreshToken != null || previous == null) {
      return this;
    }
    return new Token(resourceServer, accessToken, previous.refreshToken(), expiresAt, scope);
  }

  @Override
  public String toString() {
    return "Token[resourceServer=" + resourceServer + ", expiresAt=" + expiresAt + ", scope=" + scope
        + ", refreshable=" + (refreshToken != null) + "]";
  }
}
