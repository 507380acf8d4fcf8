package org.flowwatch.globus;

/** How flowwatch authenticates, which decides how a missing consent is fixed. */
public enum AuthMode {
  /** Confidential client from GLOBUS_CLIENT_ID/GLOBUS_CLIENT_SECRET: requests tokens itself, unattended. */
  CLIENT,
  /** Native-app user login saved by {@code flowwatch login}: refresh tokens, consent in a browser. */
  USER
}
