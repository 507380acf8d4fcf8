package org.flowwatch.globus;

/** Globus rejected the credentials (HTTP 401, or a token-endpoint {@code invalid_grant}/{@code invalid_client}). */
public class AuthenticationException extends GlobusException {
  private static final long serialVersionUID = 1L;

  public AuthenticationException(String action, String reason, String remedy, Throwable cause) {
    super(action, reason, remedy, cause);
  }
}
