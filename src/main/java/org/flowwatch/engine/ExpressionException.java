package org.flowwatch.engine;

/** A {@code .=} expression cannot be parsed, or uses something outside the local engine's subset. */
public final class ExpressionException extends Exception {
  private static final long serialVersionUID = 1L;

  ExpressionException(String message) {
    super(message);
  }
}
