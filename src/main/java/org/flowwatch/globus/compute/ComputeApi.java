package org.flowwatch.globus.compute;

import java.util.UUID;
import retrofit2.Call;
import retrofit2.http.Body;
import retrofit2.http.GET;
import retrofit2.http.Header;
import retrofit2.http.POST;
import retrofit2.http.Path;

/** The Globus Compute web service calls flowwatch makes. Paths are relative so a base URL may carry a prefix. */
interface ComputeApi {

  /** Registers a function; answers 200 with the new function_uuid. */
  @POST("v3/functions")
  Call<RegisterFunctionResponse> registerFunction(
      @Header("Authorization") String authorization, @Body RegisterFunctionRequest body);

  /** Endpoint metadata: name, display name, host. */
  @GET("v2/endpoints/{endpoint_id}")
  Call<EndpointResponse> endpoint(@Header("Authorization") String authorization, @Path("endpoint_id") UUID endpointId);

  /** Whether the endpoint is connected: {"status": "online" | "offline", "details": {...}}. */
  @GET("v2/endpoints/{endpoint_id}/status")
  Call<EndpointStatusResponse> endpointStatus(
      @Header("Authorization") String authorization, @Path("endpoint_id") UUID endpointId);

  /** A registered function's document: name, code, description, metadata. */
  @GET("v2/functions/{function_id}")
  Call<FunctionResponse> function(@Header("Authorization") String authorization, @Path("function_id") UUID functionId);
}
