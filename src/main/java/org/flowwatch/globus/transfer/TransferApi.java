package org.flowwatch.globus.transfer;

import java.util.UUID;
import retrofit2.Call;
import retrofit2.http.GET;
import retrofit2.http.Header;
import retrofit2.http.Path;
import retrofit2.http.Query;

/** The Transfer API calls flowwatch makes. Paths are relative so a base URL may carry a prefix. */
interface TransferApi {

  /**
   * Lists a directory on a collection. The service fetches the whole listing whatever the limit and
   * pages it itself, so a small limit only keeps the answer small.
   */
  @GET("v0.10/operation/endpoint/{collection_id}/ls")
  Call<FileListResponse> ls(@Header("Authorization") String authorization, @Path("collection_id") UUID collectionId,
      @Query("path") String path, @Query("limit") Integer limit);
}
