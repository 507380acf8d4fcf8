package org.flowwatch.globus.flows;

import java.util.UUID;
import retrofit2.Call;
import retrofit2.http.Body;
import retrofit2.http.GET;
import retrofit2.http.Header;
import retrofit2.http.POST;
import retrofit2.http.Path;
import retrofit2.http.Query;

/** The Flows service calls flowwatch makes. Paths are relative so a base URL may carry a prefix. */
interface FlowsApi {

  /** Needs the flow's own token (resource server = flow id). Answers 201. */
  @POST("flows/{flow_id}/run")
  Call<RunResponse> startRun(
      @Header("Authorization") String authorization, @Path("flow_id") UUID flowId, @Body StartRunRequest body);

  @GET("runs/{run_id}")
  Call<RunResponse> getRun(@Header("Authorization") String authorization, @Path("run_id") UUID runId);

  /** First page; a null filter is left out of the query. */
  @GET("runs")
  Call<RunListResponse> listRuns(
      @Header("Authorization") String authorization,
      @Query("filter_flow_id") UUID flowId,
      @Query("filter_label") String label,
      @Query("filter_status") String status,
      @Query("filter_completion_time") String completionTime);

  /** Later pages: the service ignores every other parameter when a marker is given, so send only it. */
  @GET("runs")
  Call<RunListResponse> listRunsAfter(@Header("Authorization") String authorization, @Query("marker") String marker);

  /**
   * Asks the service to continue an INACTIVE run; needs the flow's own token (the service mints the
   * run's dependent tokens from it). No body; answers 200 with the run document.
   */
  @POST("runs/{run_id}/resume")
  Call<RunResponse> resumeRun(@Header("Authorization") String authorization, @Path("run_id") UUID runId);

  /** Asks the service to stop a run; a Flows-service token will do. No body; answers 202 with the run document. */
  @POST("runs/{run_id}/cancel")
  Call<RunResponse> cancelRun(@Header("Authorization") String authorization, @Path("run_id") UUID runId);
}
