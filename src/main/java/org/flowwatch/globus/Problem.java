package org.flowwatch.globus;

import java.util.Objects;

/**
 * One thing the service rejected in a request.
 *
 * @param loc where in the request, joined with "." (e.g. {@code body.source.path}); empty for the whole request
 * @param msg what is wrong, as the service said it
 */
public record Problem(String loc, String msg) {
  public Problem {
    loc = loc == null ? "" : loc;
    Objects.requireNonNull(msg, "msg");
  }

  @Override
  public String toString() {
    return loc.isEmpty() ? msg : loc + ": " + msg;
  }
}
