package org.flowwatch.engine.transfer;

/**
 * A transfer that started and then could not finish: the task ends FAILED, and its {@code fatal_error}
 * carries this code and description, as Transfer's task document does.
 */
final class TransferFailure extends Exception {
  private final String code;

  TransferFailure(String code, String description) {
    super(description);
    this.code = code;
  }

  String code() {
    return code;
  }
}
