package org.flowwatch.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs one Action state's action on its own thread and waits at most its {@code WaitTime}, then turns
 * the outcome into what the flow sees: the action status, or {@code ActionUnableToRun},
 * {@code ActionFailedException} (only when {@code ExceptionOnActionFailure} is true) or
 * {@code ActionTimeout}. The Cause of an {@code ActionFailedException} is the action status as JSON text,
 * so a Catch sees the provider's details.
 */
final class ActionRunner {
  /** The Flows docs' default WaitTime, in seconds. */
  static final long DEFAULT_WAIT_TIME = 300;
  /**
   * Globus documents that ActionFailedException "will only be raised if the property
   * ExceptionOnActionFailure is set to true", and the current OpenAPI schema defaults it to false: a FAILED
   * action without it is stored at ResultPath and the run goes on to Next.
   */
  static final boolean DEFAULT_EXCEPTION_ON_FAILURE = false;
  /** How long a provider gets to stop (and stop its processes) after being interrupted. */
  private static final long STOP_GRACE_MILLIS = 30_000;
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private ActionRunner() {}

  static JsonNode run(ActionProvider provider, String url, JsonNode parameters, JsonNode state,
      ActionContext context) throws StateFailure, InterruptedException {
    long waitTime = state.path("WaitTime").asLong(DEFAULT_WAIT_TIME);
    FutureTask<ActionStatus> task = new FutureTask<>(() -> provider.run(url, parameters, context));
    Thread worker = new Thread(task, "action-" + context.runId() + "-" + context.state());
    worker.setDaemon(true);
    worker.start();
    ActionStatus status;
    try {
      status = task.get(waitTime, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      stop(task, worker);
      throw new StateFailure(StateFailure.TIMEOUT, "the action at " + url + " did not end within WaitTime "
          + waitTime + " s; it was stopped", true);
    } catch (InterruptedException e) {
      stop(task, worker);
      throw e;
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof ActionUnableToRunException) {
        throw new StateFailure(StateFailure.UNABLE_TO_RUN, cause.getMessage(), true);
      }
      if (cause instanceof InterruptedException) {
        throw new StateFailure(StateFailure.TIMEOUT, "the action at " + url + " was interrupted", true);
      }
      // The hosted service answers a provider's crash (a 5xx at /run) as ActionUnableToRun too.
      throw new StateFailure(StateFailure.UNABLE_TO_RUN, "the local provider for " + url + " broke: " + cause,
          true);
    }
    if (status == null) {
      throw new StateFailure(StateFailure.UNABLE_TO_RUN, "the local provider for " + url + " returned no status",
          true);
    }
    JsonNode result = status.toJson();
    boolean raise = state.path("ExceptionOnActionFailure").asBoolean(DEFAULT_EXCEPTION_ON_FAILURE);
    if (!status.succeeded() && raise) {
      String text;
      try {
        text = MAPPER.writeValueAsString(result);
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        text = result.toString();
      }
      throw new StateFailure(StateFailure.ACTION_FAILED, text, true);
    }
    return result;
  }

  private static void stop(FutureTask<ActionStatus> task, Thread worker) throws InterruptedException {
    task.cancel(true);
    worker.join(STOP_GRACE_MILLIS);
  }
}
