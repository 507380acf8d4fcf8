package org.flowwatch.ledger;

import java.time.Instant;

/** One state transition of a run directory, as the ledger recorded it. */
public record HistoryEntry(String key, Instant at, RunState from, RunState to, String runId, String reason) {}
