package org.flowwatch.globus.auth;

import retrofit2.Call;
import retrofit2.http.Field;
import retrofit2.http.FormUrlEncoded;
import retrofit2.http.Header;
import retrofit2.http.POST;

/** Globus Auth's token endpoint. Form-encoded, unlike every other Globus API. */
interface AuthApi {

  /** Confidential client: HTTP Basic with the client id and secret. */
  @FormUrlEncoded
  @POST("v2/oauth2/token")
  Call<TokenResponse> clientCredentials(
      @Header("Authorization") String basic,
      @Field("grant_type") String grantType,
      @Field("scope") String scope);

  /** Native client: no secret, so the client id goes in the form. */
  @FormUrlEncoded
  @POST("v2/oauth2/token")
  Call<TokenResponse> authorizationCode(
      @Field("grant_type") String grantType,
      @Field("code") String code,
      @Field("code_verifier") String codeVerifier,
      @Field("redirect_uri") String redirectUri,
      @Field("client_id") String clientId);

  /** Native client refresh: the client id goes in the form. */
  @FormUrlEncoded
  @POST("v2/oauth2/token")
  Call<TokenResponse> refreshToken(
      @Field("grant_type") String grantType,
      @Field("refresh_token") String refreshToken,
      @Field("client_id") String clientId);
}
