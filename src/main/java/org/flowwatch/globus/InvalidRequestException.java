package org.flowwatch.globus;

import java.util.List;

/** HTTP 400/422: the service rejected what was sent (for a run start, usually the input document). */
public class InvalidRequestException extends GlobusException {
  private static final long serialVersionUID = 1L;

  private final List<Problem> problems;
  private final int status;
  private final String code;

  public InvalidRequestException(
      String action, String reason, List<Problem> problems, String remedy, Throwable cause) {
    this(action, reason, problems, remedy, 0, null, cause);
  }

  /**
   * @param status the HTTP status, or 0 when unknown
   * @param code the service's error code (e.g. {@code FLOW_INPUT_ERROR}), or null
   */
  public InvalidRequestException(String action, String reason, List<Problem> problems, String remedy, int status,
      String code, Throwable cause) {
    super(action, reason, remedy, cause);
    this.problems = List.copyOf(problems);
    this.status = status;
    this.code = code;
  }

  /** The HTTP status, or 0 when unknown. */
  public int status() {
    return status;
  }

  /** The service's error code, or null. */
  public String code() {
    return code;
  }

  /**
   * True only for what the Flows run start answers when the input document breaks the flow's schema
   * (400 FLOW_INPUT_ERROR). A 422 there means the run metadata (tags, label) failed validation.
   */
  public boolean isFlowInputError() {
    return status == 400 && "FLOW_INPUT_ERROR".equals(code);
  }

  /** Every problem the service listed, in its order. */
  public List<Problem> problems() {
    return problems;
  }
}
