package org.flowwatch.cli;

/** run-flow's input document is not a JSON object: nothing ran (exit 4, like an invalid input document). */
final class FlowInputException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  FlowInputException(String message) {
    super(message);
  }
}
