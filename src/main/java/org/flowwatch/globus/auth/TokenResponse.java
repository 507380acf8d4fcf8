package org.flowwatch.globus.auth;

import java.util.List;

/** Wire form of a Globus Auth token response: one token at the top, the rest in {@code other_tokens}. */
record TokenResponse(
    String accessToken,
    String scope,
    String resourceServer,
    Long expiresIn,
    String tokenType,
    String refreshToken,
    List<TokenResponse> otherTokens) {

  TokenResponse {
    otherTokens = otherTokens == null ? List.of() : List.copyOf(otherTokens);
  }

  @Override
  public String toString() {
    return "TokenResponse[resourceServer=" + resourceServer + ", scope=" + scope + ", others=" + otherTokens.size() + "]";
  }
}
