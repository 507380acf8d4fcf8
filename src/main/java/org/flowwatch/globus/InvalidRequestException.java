package org.flowwatch.globus;

import java.util.List;

/** HTTP 400/422: the service rejected what was sent (for a run start, usually the input document). */
public class InvalidRequestException extends GlobusException {
  private static final long serialVersionUID = 1L;

  private final List<Problem> problems;

  public InvalidRequestException(
      String action, String reason, List<Problem> problems, String remedy, Throwable cause) {
    super(action, reason, remedy, cause);
    this.problems = List.copyOf(problems);
  }

  /** Every problem the service listed, in its order. */
  public List<Problem> problems() {
    return problems;
  }
}
