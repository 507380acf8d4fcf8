package org.flowwatch.globus.auth;

/** One token as written in the token file. {@code expires_at} is epoch seconds. */
record StoredToken(String accessToken, String refreshToken, Long expiresAt, String scope) {

  @Override
  public String toString() {
    return "StoredToken[expiresAt=" + expiresAt + ", scope=" + scope + "]";
  }
}
