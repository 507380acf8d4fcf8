package org.flowwatch.globus;

/**
 * flowwatch has no way to authenticate: neither a confidential client in the environment nor a saved
 * login. Nothing was sent to Globus.
 */
public class MissingCredentialsException extends AuthenticationException {
  private static final long serialVersionUID = 1L;

  public MissingCredentialsException(String action, String reason, String remedy) {
    super(action, reason, remedy, null);
  }
}
