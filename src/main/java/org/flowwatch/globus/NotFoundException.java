package org.flowwatch.globus;

/** HTTP 404: the flow or run does not exist, or this identity may not see it. */
public class NotFoundException extends GlobusException {
  private static final long serialVersionUID = 1L;

  public NotFoundException(String action, String reason, String remedy, Throwable cause) {
    super(action, reason, remedy, cause);
  }
}
