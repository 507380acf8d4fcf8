package org.flowwatch.ledger;

import java.time.Instant;
import java.util.Objects;

/**
 * One run directory's row in the ledger.
 *
 * @param key the run directory's path relative to the watch root
 * @param state where it is now
 * @param attempts how many starts were requested for it
 * @param token the trigger token of the latest start request (also in the run's label and tags), or null
 * @param runId the flow run id once known, or null
 * @param lastError why it is not progressing, or null
 * @param fingerprint the directory tree's fingerprint when it was found INVALID, or null
 * @param createdAt when it was first seen
 * @param updatedAt when its state last changed
 * @param notBefore no start or poll before this time (backoff), or null
 * @param settleDigest the fingerprint of the tree at the last settle look, or null
 * @param settleSince when this host first saw the tree with that fingerprint, or null
 */
public record RunRecord(
    String key,
    RunState state,
    int attempts,
    String token,
    String runId,
    String lastError,
    String fingerprint,
    Instant createdAt,
    Instant updatedAt,
    Instant notBefore,
    String settleDigest,
    Instant settleSince) {

  public RunRecord {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(state, "state");
  }

  /** A row without settle memory (tests, older callers). */
  public RunRecord(String key, RunState state, int attempts, String token, String runId, String lastError,
      String fingerprint, Instant createdAt, Instant updatedAt, Instant notBefore) {
    this(key, state, attempts, token, runId, lastError, fingerprint, createdAt, updatedAt, notBefore, null, null);
  }
}
