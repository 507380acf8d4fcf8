package org.flowwatch.globus;

/** How one call authenticates: the header value, and what to do when the service rejects it. */
public interface Authorization {

  /** The Authorization header value, or null to send none. */
  String header();

  /** Drops a rejected credential; true when asking {@link #header()} again may give a better one. */
  boolean renew();

  /** The scope the credential is for, named in consent errors; may be null. */
  String scope();

  /** Decides how a consent or authentication failure is fixed. */
  AuthMode mode();

  /** The client the credential belongs to, named in advice; may be null. */
  String clientId();

  /** A fixed header (Basic client authentication, or none); a rejection is final. */
  static Authorization fixed(String header, String scope, AuthMode mode, String clientId) {
    return new Authorization() {
      @Override
      public String header() {
        return header;
      }

      @Override
      public boolean renew() {
        return false;
      }

      @Override
      public String scope() {
        return scope;
      }

      @Override
      public AuthMode mode() {
        return mode;
      }

      @Override
      public String clientId() {
        return clientId;
      }
    };
  }
}
