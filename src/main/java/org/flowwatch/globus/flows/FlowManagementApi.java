package org.flowwatch.globus.flows;

import java.util.UUID;
import retrofit2.Call;
import retrofit2.http.Body;
import retrofit2.http.GET;
import retrofit2.http.Header;
import retrofit2.http.POST;
import retrofit2.http.PUT;
import retrofit2.http.Path;
import retrofit2.http.Query;

/**
 * The Flows service calls that manage flow documents (reference §2.1). They take a Flows-service token
 * (resource server flows.globus.org), not a flow's own token. Paths are relative so a base URL may carry
 * a prefix.
 */
interface FlowManagementApi {

  /** Answers 201 with the new flow document. */
  @POST("flows")
  Call<FlowResponse> createFlow(@Header("Authorization") String authorization, @Body FlowRequest body);

  /** 404 when the flow does not exist or this identity may not see it. */
  /** Flows whose fields hold {@code text}, among those where the caller has one of {@code roles}. */
  @GET("flows")
  Call<FlowListResponse> listFlows(@Header("Authorization") String authorization,
      @Query("filter_roles") String roles, @Query("filter_fulltext") String text);

  /** The next page of a flow list: with a marker, the service ignores every other parameter. */
  @GET("flows")
  Call<FlowListResponse> nextFlows(@Header("Authorization") String authorization, @Query("marker") String marker);

  @GET("flows/{flow_id}")
  Call<FlowResponse> getFlow(@Header("Authorization") String authorization, @Path("flow_id") UUID flowId);

  /** A partial update: fields left out of the body keep their value. */
  @PUT("flows/{flow_id}")
  Call<FlowResponse> updateFlow(
      @Header("Authorization") String authorization, @Path("flow_id") UUID flowId, @Body FlowRequest body);

  /** 200 with the scopes the flow will need; 422 (or 400) with the service's objections. */
  @POST("flows/validate")
  Call<ValidateFlowResponse> validateFlow(
      @Header("Authorization") String authorization, @Body ValidateFlowRequest body);
}
