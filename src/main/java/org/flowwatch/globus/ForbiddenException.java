package org.flowwatch.globus;

/** HTTP 403 that is not about consent: the identity lacks a role (flow starter, run manager, ...). */
public class ForbiddenException extends GlobusException {
  private static final long serialVersionUID = 1L;

  public ForbiddenException(String action, String reason, String remedy, Throwable cause) {
    super(action, reason, remedy, cause);
  }
}
