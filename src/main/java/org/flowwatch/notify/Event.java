package org.flowwatch.notify;

import java.time.Instant;
import java.util.Objects;

/**
 * One thing worth telling a person.
 *
 * @param kind the event's name as {@code notify.on} lists it (FAILED, HELD, CREDENTIALS, ...)
 * @param key the run directory's key (relative to the watch directory), or null for agent-wide events
 * @param directory the run directory's full path, or null for agent-wide events
 * @param state the ledger state the directory is in, or null for agent-wide events
 * @param runId the flow run id, or null when there is none
 * @param runUrl the run's page in the Globus web app, or null without a run id
 * @param message what happened and what to do, in the ledger's own words
 * @param at when it happened
 */
public record Event(String kind, String key, String directory, String state, String runId, String runUrl,
    String message, Instant at) {

  public Event {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(at, "at");
  }

  /** One line for a list of events: {@code run1217 FAILED (run 36ad..., https://...): what to do}. */
  String line() {
    StringBuilder b = new StringBuilder();
    if (key != null) {
      b.append(key).append(' ').append(state == null ? kind : state);
      if (!kind.equals(state)) {
        b.append(" (").append(kind.toLowerCase(java.util.Locale.ROOT)).append(')');
      }
    } else {
      b.append(kind.equals("CREDENTIALS") ? "credentials or consent" : "starts paused");
    }
    if (runId != null) {
      b.append(" — run ").append(runId).append(", ").append(runUrl);
    }
    return b.append(": ").append(message).toString();
  }
}
