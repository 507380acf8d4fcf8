package org.flowwatch.engine;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Set;

/**
 * A local stand-in for a hosted Globus action provider: it runs one action to its end on this machine
 * and answers with the action status the hosted provider would (a {@code status} and its
 * {@code details}). The interpreter calls {@link #run} on a worker thread and interrupts it when the
 * state's {@code WaitTime} runs out; a provider that started a process must stop it when interrupted.
 */
public interface ActionProvider {

  /** The action URLs served, exactly as a definition's {@code ActionUrl} writes them (no trailing slash). */
  Set<String> urls();

  /**
   * Runs the action.
   *
   * @param url one of {@link #urls()}
   * @param parameters the state's parameters, already resolved against the flow state
   * @return the final status: {@code SUCCEEDED} or {@code FAILED}, with details shaped like the hosted one
   * @throws ActionUnableToRunException when the request is one the hosted provider would refuse at once
   *     (a missing or malformed parameter, an unknown collection): the flow sees {@code ActionUnableToRun}
   * @throws InterruptedException when the interpreter gave up waiting ({@code ActionTimeout})
   */
  ActionStatus run(String url, JsonNode parameters, ActionContext context)
      throws ActionUnableToRunException, InterruptedException;
}
