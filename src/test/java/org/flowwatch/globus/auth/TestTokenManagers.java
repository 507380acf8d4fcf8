package org.flowwatch.globus.auth;

import java.time.Clock;

/**
 * TokenManager's mode-specific factories for the tests of the other globus subpackages. They stay
 * package-private in main code, where {@link TokenManager#create} (reading the environment) is the way in.
 */
public final class TestTokenManagers {

  private TestTokenManagers() {}

  /** A confidential client that asks {@code auth} for each scope itself. */
  public static TokenManager forClient(String clientId, String clientSecret, AuthClient auth, Clock clock) {
    return TokenManager.forClient(clientId, clientSecret, auth, clock);
  }

  /** The user login saved in {@code store} under {@code nativeClientId}. */
  public static TokenManager forUser(String nativeClientId, TokenStore store, AuthClient auth, Clock clock) {
    return TokenManager.forUser(nativeClientId, store, auth, clock);
  }
}
