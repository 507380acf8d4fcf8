package org.flowwatch.engine;

/**
 * The action could not be run at all (the hosted provider's 4xx at /run): the flow sees the error
 * {@code ActionUnableToRun} with this message as its cause.
 */
public final class ActionUnableToRunException extends Exception {
  public ActionUnableToRunException(String message) {
    super(message);
  }
}
