package org.flowwatch.globus.flows;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import org.flowwatch.globus.ApiCaller;
import org.flowwatch.globus.Authorization;
import org.flowwatch.globus.ErrorMapper;
import org.flowwatch.globus.GlobusHttp;
import org.flowwatch.globus.OutcomeUnknownException;
import org.flowwatch.globus.RetryPolicy;
import org.flowwatch.globus.ServiceUnavailableException;
import org.flowwatch.globus.Sleeper;
import org.flowwatch.globus.auth.Scopes;
import org.flowwatch.globus.auth.TokenManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Flows service: start a run, read a run, find runs by label.
 *
 * <p>Starting uses the flow's own token (resource server = flow id, scope with its dependencies) and is
 * never repeated blindly: the service has no idempotency key, so a repeat can create a second run. Reads
 * use a Flows-service token for {@link #STATUS_SCOPE} and are retried under the {@link RetryPolicy}.
 */
public final class FlowsClient {

  private static final Logger log = LoggerFactory.getLogger(FlowsClient.class);

  /**
   * Scope of the token for reading runs. run_status is the narrowest Flows scope that covers
   * {@code GET /runs/{id}} and {@code GET /runs}; an agent needs nothing more to poll.
   */
  public static final String STATUS_SCOPE = Scopes.FLOWS_RUN_STATUS_SCOPE;

  /** A bound on paging in case the service keeps saying "more" (the default page holds 20 runs). */
  private static final int MAX_PAGES = 500;

  private final FlowsApi api;
  private final TokenManager tokens;
  private final ApiCaller caller;

  public FlowsClient(GlobusHttp http, TokenManager tokens) {
    this(http, tokens, RetryPolicy.DEFAULT, Sleeper.SYSTEM);
  }

  public FlowsClient(GlobusHttp http, TokenManager tokens, RetryPolicy policy, Sleeper sleeper) {
    this.api = http.api(http.urls().flows(), FlowsApi.class);
    this.tokens = Objects.requireNonNull(tokens, "tokens");
    this.caller = new ApiCaller("the Flows service", new ErrorMapper(http.mapper()), policy, sleeper);
  }

  /**
   * Starts one run, sending the request at most once (twice only after a 401, which proves the first
   * was refused).
   *
   * <p>Every exception except {@link OutcomeUnknownException} means no run was started: errors getting
   * the token happen before anything is sent, and 4xx answers (429 included) refuse the request.
   *
   * @param flowScope the flow's scope including its dependencies, see {@link Scopes#flowStartScope}
   * @throws OutcomeUnknownException when the request may have created a run but no answer says so:
   *     look the run up by label ({@link #listRuns}) before starting again
   * @throws ServiceUnavailableException when Flows (or Auth, for the token) could not be reached
   */
  public FlowRun startRun(UUID flowId, String flowScope, StartRun run) {
    Objects.requireNonNull(flowId, "flowId");
    Objects.requireNonNull(flowScope, "flowScope");
    Objects.requireNonNull(run, "run");
    String action = "start a run of flow " + flowId + (run.label() == null ? "" : " labelled '" + run.label() + "'");
    StartRunRequest body = StartRunRequest.of(run);
    Authorization auth = tokens.bearer(Scopes.flowResourceServer(flowId), flowScope);
    RunResponse started = caller.once(action, auth, run.label(), header -> api.startRun(header, flowId, body));
    if (started.runId() == null) {
      throw new OutcomeUnknownException(action,
          "the service accepted the run but its answer has no run_id", run.label(), null);
    }
    FlowRun flowRun = FlowRun.from(started);
    // DEBUG: the caller logs the start with its run directory (the ledger's ACTIVE line, or the CLI's).
    log.debug("Started run {} of flow {} ({})", flowRun.runId(), flowId, flowRun.label());
    return flowRun;
  }

  /**
   * Gets (or finds cached) the token {@link #startRun} will use, so that refused credentials or missing
   * consent show before a start is recorded.
   */
  public void authorizeStart(UUID flowId, String flowScope) {
    tokens.bearer(Scopes.flowResourceServer(Objects.requireNonNull(flowId, "flowId")),
        Objects.requireNonNull(flowScope, "flowScope")).header();
  }

  /** The run's current state. Retried on transient failures. */
  public FlowRun getRun(UUID runId) {
    Objects.requireNonNull(runId, "runId");
    RunResponse run = caller.repeatable("get the status of flow run " + runId, statusToken(),
        header -> api.getRun(header, runId));
    return FlowRun.from(run);
  }

  /**
   * Every run of {@code flowId} whose label contains {@code labelFilter} (case-insensitive substring, as
   * the service matches; null for all), across all pages. Callers wanting an exact label compare it.
   */
  public List<FlowRun> listRuns(UUID flowId, String labelFilter) {
    return listRuns(flowId, labelFilter, null);
  }

  /**
   * Like {@link #listRuns(UUID, String)}, also filtered by status.
   *
   * @param statuses comma-joined service words ({@code ACTIVE,INACTIVE}); null for all
   */
  public List<FlowRun> listRuns(UUID flowId, String labelFilter, String statuses) {
    return listRuns(flowId, labelFilter, statuses, null);
  }

  /**
   * Like {@link #listRuns(UUID, String, String)}, also only runs that completed at or after
   * {@code completedSince} (the service's half-open {@code filter_completion_time} range); null for all.
   */
  public List<FlowRun> listRuns(UUID flowId, String labelFilter, String statuses, java.time.Instant completedSince) {
    Objects.requireNonNull(flowId, "flowId");
    String action = "list runs of flow " + flowId + (labelFilter == null ? "" : " labelled '" + labelFilter + "'")
        + (statuses == null ? "" : " in " + statuses)
        + (completedSince == null ? "" : " completed since " + completedSince);
    String completion = completedSince == null ? null : completedSince + ",";
    Authorization auth = statusToken();
    List<FlowRun> runs = new ArrayList<>();
    RunListResponse page = caller.repeatable(action, auth,
        header -> api.listRuns(header, flowId, labelFilter, statuses, completion));
    Set<String> seenMarkers = new HashSet<>();
    for (int pages = 1; ; pages++) {
      page.runs().stream().filter(r -> r.runId() != null).map(FlowRun::from).forEach(runs::add);
      if (!page.more()) {
        return runs;
      }
      String marker = page.marker();
      if (marker == null || marker.isBlank() || !seenMarkers.add(marker) || pages >= MAX_PAGES) {
        // Defensive: without a new marker the loop could only repeat a page.
        log.warn("Flows said more runs follow but gave no usable marker after {} pages; using the {} runs read",
            pages, runs.size());
        return runs;
      }
      page = caller.repeatable(action, auth, header -> api.listRunsAfter(header, marker));
    }
  }

  /**
   * Asks the service to continue an INACTIVE run, with the flow's own token: for a run waiting on consent
   * the service takes the new dependent tokens from it, so get this token after the consent was granted.
   * Repeating the request is harmless (a second resume of a running run changes nothing), so it is
   * retried like a read.
   *
   * @param flowScope the flow's scope including its dependencies, as for {@link #startRun}
   */
  public FlowRun resumeRun(UUID flowId, String flowScope, UUID runId) {
    Objects.requireNonNull(runId, "runId");
    Authorization auth = tokens.bearer(Scopes.flowResourceServer(Objects.requireNonNull(flowId, "flowId")),
        Objects.requireNonNull(flowScope, "flowScope"));
    RunResponse run = caller.repeatable("resume flow run " + runId, auth, header -> api.resumeRun(header, runId));
    return answered(run, runId);
  }

  /**
   * Asks the service to stop a run ({@link Scopes#FLOWS_RUN_MANAGE_SCOPE}). The answer may still say ACTIVE:
   * the service stops the run's actions first. Repeating it is harmless, so it is retried like a read.
   */
  public FlowRun cancelRun(UUID runId) {
    Objects.requireNonNull(runId, "runId");
    Authorization auth = tokens.bearer(Scopes.FLOWS_RESOURCE_SERVER, Scopes.FLOWS_RUN_MANAGE_SCOPE);
    RunResponse run = caller.repeatable("cancel flow run " + runId, auth, header -> api.cancelRun(header, runId));
    return answered(run, runId);
  }

  /**
   * The run document answered to a resume or cancel. The request was accepted whatever the body holds, so
   * a document without run_id or status (not seen, but not promised either) is not an error: the id asked
   * about stands in, and the status reads as one this version does not know.
   */
  private static FlowRun answered(RunResponse run, UUID runId) {
    return FlowRun.from(new RunResponse(run.runId() != null ? run.runId() : runId, run.flowId(),
        run.status() != null ? run.status() : "UNKNOWN", run.label(), run.tags(), run.startTime(),
        run.completionTime(), run.details()));
  }

  private Authorization statusToken() {
    return tokens.bearer(Scopes.FLOWS_RESOURCE_SERVER, STATUS_SCOPE);
  }
}
