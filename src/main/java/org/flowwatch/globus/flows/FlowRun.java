package org.flowwatch.globus.flows;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.flowwatch.globus.ConsentScopes;
import org.flowwatch.globus.auth.Scopes;
import org.flowwatch.text.IsoInstant;

/**
 * A flow run as the Flows service reports it.
 *
 * @param runId the run id
 * @param flowId the flow it runs
 * @param status ACTIVE, INACTIVE, SUCCEEDED, FAILED or ENDED (kept as text: the service may add more)
 * @param label the run label
 * @param tags the run tags
 * @param startTime when it started, or null
 * @param completionTime when it finished, or null while running
 * @param detailsCode {@code details.code}, e.g. FlowStarting, FlowSucceeded, FlowCanceled, ConsentRequired
 * @param detailsDescription {@code details.description}, or null
 * @param requiredScope the scope an INACTIVE run waits for consent to, as the service named it, or null
 * @param details the raw {@code details} object (null for high-assurance runs in lists)
 */
public record FlowRun(
    UUID runId,
    UUID flowId,
    String status,
    String label,
    List<String> tags,
    Instant startTime,
    Instant completionTime,
    String detailsCode,
    String detailsDescription,
    String requiredScope,
    JsonNode details) {

  /** The run page in the Globus web app, where a person can see, resume or cancel it. */
  public static final String PAGE = "https://app.globus.org/runs/";

  public FlowRun {
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(status, "status");
    tags = List.copyOf(tags == null ? List.of() : tags);
    details = details == null ? null : details.deepCopy();
  }

  /** A copy of the raw details, so the record stays immutable. */
  @Override
  public JsonNode details() {
    return details == null ? null : details.deepCopy();
  }

  /** The service's status word as a {@link RunStatus}. */
  public RunStatus runStatus() {
    return RunStatus.of(status);
  }

  /** True once the run cannot change any more. */
  public boolean isFinal() {
    return runStatus().isFinal();
  }

  public boolean isSucceeded() {
    return runStatus() == RunStatus.SUCCEEDED;
  }

  /** Paused on something a person must fix (consent, session, activation). */
  public boolean isInactive() {
    return runStatus() == RunStatus.INACTIVE;
  }

  /** This run's page in the Globus web app. */
  public String page() {
    return page(runId);
  }

  public static String page(Object runId) {
    return PAGE + runId;
  }

  /**
   * What a person does for a run paused on consent: the login command for the exact scope, then the
   * resume; null when the run needs no consent.
   *
   * @param flowScope the flow's own scope, without dependencies
   */
  public String consentHint(String flowScope) {
    String scope = isInactive() ? consentScope(flowScope) : null;
    return scope == null ? null
        : "grant consent with: flowwatch login --scope '" + scope + "', then resume the run at " + page();
  }

  /**
   * The scope to log in for (or request) before resuming this run. An action's nested
   * {@code required_scope} lacks the flow scope root; it is wrapped in {@code flowScope} here, as the
   * Globus CLI does, because a resume needs a flow-scoped token.
   *
   * @param flowScope the flow's own scope, without dependencies
   * @return null when the run needs no consent
   */
  public String consentScope(String flowScope) {
    if (requiredScope == null) {
      return null;
    }
    if (requiredScope.equals(flowScope) || requiredScope.startsWith(flowScope + "[")) {
      return requiredScope;
    }
    return Scopes.withDependencies(flowScope, List.of(requiredScope));
  }

  static FlowRun from(RunResponse run) {
    JsonNode details = run.details() != null && run.details().isObject() ? run.details() : null;
    return new FlowRun(
        run.runId(),
        run.flowId(),
        run.status() == null ? "UNKNOWN" : run.status(),
        run.label(),
        run.tags(),
        instant(run.startTime()),
        instant(run.completionTime()),
        text(details, "code"),
        text(details, "description"),
        requiredScopeIn(details),
        details);
  }

  /** details' own required scope first, then the first one an action status names. */
  private static String requiredScopeIn(JsonNode details) {
    if (details == null) {
      return null;
    }
    List<String> own = ConsentScopes.declaredBy(details);
    if (!own.isEmpty()) {
      return own.get(0);
    }
    JsonNode statuses = details.get("action_statuses");
    if (statuses != null && statuses.isArray()) {
      for (JsonNode status : statuses) {
        List<String> nested = ConsentScopes.declaredBy(status.get("details"));
        if (nested.isEmpty()) {
          nested = ConsentScopes.declaredBy(status);
        }
        if (!nested.isEmpty()) {
          return nested.get(0);
        }
      }
    }
    return null;
  }

  /** Flows writes "2026-01-02T04:00:00+00:00", with or without fractions; a missing offset means UTC. */
  static Instant instant(String text) {
    if (text == null || text.isBlank()) {
      return null;
    }
    try {
      return IsoInstant.parse(text); // the service's own shape, 2026-01-02T04:00:00.123456+00:00, quickly
    } catch (DateTimeParseException notAnInstant) {
      try {
        return OffsetDateTime.parse(text).toInstant();
      } catch (DateTimeParseException withoutOffset) {
        try {
          return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException unreadable) {
          return null;
        }
      }
    }
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node == null ? null : node.get(field);
    return value != null && value.isTextual() ? value.asText() : null;
  }
}
