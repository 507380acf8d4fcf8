package org.flowwatch.globus.flows;

/** The Flows service's words for where a run is; the one place they are spelled. */
public enum RunStatus {
  ACTIVE,
  /** Paused on something a person must fix (consent, session, activation). */
  INACTIVE,
  SUCCEEDED,
  FAILED,
  /** Cancelled (by a person or a manager); final, not a success. */
  ENDED,
  /** A word this version does not know: treated as still running, and shown as the service wrote it. */
  OTHER;

  public static RunStatus of(String word) {
    if (word != null) {
      for (RunStatus s : values()) {
        if (s != OTHER && s.name().equals(word)) {
          return s;
        }
      }
    }
    return OTHER;
  }

  public boolean isFinal() {
    return this == SUCCEEDED || this == FAILED || this == ENDED;
  }
}
