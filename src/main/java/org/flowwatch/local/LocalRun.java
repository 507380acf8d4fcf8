package org.flowwatch.local;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One local run as the store keeps it: what the service's run record holds, plus where it got to.
 *
 * @param status ACTIVE, SUCCEEDED or FAILED (the service's words)
 * @param state the state it is in or ended in; where a restart resumes
 * @param flowState the flow state on entering {@code state}
 * @param details the run's details: {@code code}, {@code description}, and {@code output} once it ended
 * @param owner who executes it now ({@code pid@host start}); a restart resumes only runs whose owner is gone
 */
public record LocalRun(String runId, String flowId, String token, String label, List<String> tags,
    String status, String state, JsonNode flowState, JsonNode details, Instant startTime,
    Instant completionTime, String owner) {
  public LocalRun {
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(status, "status");
    tags = List.copyOf(tags);
  }

  public boolean isActive() {
    return "ACTIVE".equals(status);
  }
}
