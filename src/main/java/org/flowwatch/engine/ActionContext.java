package org.flowwatch.engine;

import java.util.Map;
import java.util.function.Consumer;

/**
 * What a local action may know about the run it is part of.
 *
 * @param runId the local run's id ({@code $._context.run_id})
 * @param state the state being run, for messages
 * @param collections collection id (as the definition writes it, a UUID) to where its files are here
 * @param progress one line at a time for the run's log ("transferred 12 files")
 */
public record ActionContext(String runId, String state, Map<String, LocalCollection> collections,
    Consumer<String> progress) {
  public ActionContext {
    collections = Map.copyOf(collections);
  }
}
