package org.flowwatch.globus.transfer;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;
import org.flowwatch.globus.ApiCaller;
import org.flowwatch.globus.Authorization;
import org.flowwatch.globus.ErrorMapper;
import org.flowwatch.globus.ForbiddenException;
import org.flowwatch.globus.GlobusException;
import org.flowwatch.globus.GlobusHttp;
import org.flowwatch.globus.HttpFailure;
import org.flowwatch.globus.InvalidRequestException;
import org.flowwatch.globus.NotFoundException;
import org.flowwatch.globus.RetryPolicy;
import org.flowwatch.globus.Sleeper;
import org.flowwatch.globus.auth.Scopes;
import org.flowwatch.globus.auth.TokenManager;

/**
 * The Transfer API, as far as flowwatch uses it: listing a directory on a collection, which proves the
 * collection is reachable and this identity may read it.
 *
 * <p>The token is for {@link Scopes#TRANSFER_SCOPE} with each mapped collection's {@code data_access} as an
 * optional dependency ({@link #scopeFor}). Reads are retried under the {@link RetryPolicy}, except 5xx
 * answers whose code contains {@code ExternalError} or {@code EndpointError}: the collection's own storage
 * refused (login failed, permission denied), which no repeat changes.
 */
public final class TransferClient {

  /** One entry is enough to prove a listing works. */
  private static final int LIST_LIMIT = 1;

  private final TransferApi api;
  private final TokenManager tokens;
  private final String scope;
  private final ApiCaller caller;
  private final ErrorMapper errors;

  public TransferClient(GlobusHttp http, TokenManager tokens, String scope) {
    this(http, tokens, scope, RetryPolicy.DEFAULT, Sleeper.SYSTEM);
  }

  /** @param scope the Transfer scope with its dependencies, see {@link #scopeFor} */
  public TransferClient(GlobusHttp http, TokenManager tokens, String scope, RetryPolicy policy, Sleeper sleeper) {
    this.api = http.api(http.urls().transfer(), TransferApi.class);
    this.tokens = Objects.requireNonNull(tokens, "tokens");
    this.scope = Objects.requireNonNull(scope, "scope");
    this.errors = new ErrorMapper(http.mapper());
    this.caller = new ApiCaller("the Transfer service", errors, policy, sleeper);
  }

  /** {@code transfer[*C1/data_access ...]} for the given mapped collections; plain Transfer for none. */
  public static String scopeFor(List<UUID> dataAccessCollections) {
    return Scopes.withDependencies(Scopes.TRANSFER_SCOPE,
        dataAccessCollections.stream().map(Scopes::dataAccess).map(Scopes::optional).distinct().toList());
  }

  /** The scope this client's token is asked for. */
  public String scope() {
    return scope;
  }

  /**
   * Lists {@code path} on the collection ({@code GET /v0.10/operation/endpoint/{id}/ls}), one entry at most.
   *
   * @throws NotFoundException when the collection or the path does not exist (or is not visible)
   * @throws ForbiddenException when this identity may not read it
   * @throws InvalidRequestException when the collection's storage refused the listing (ExternalError)
   */
  public DirectoryListing list(UUID collectionId, String path) {
    Objects.requireNonNull(collectionId, "collectionId");
    Objects.requireNonNull(path, "path");
    String action = "list " + path + " on collection " + collectionId + " through Globus Transfer";
    Authorization auth = tokens.bearer(Scopes.TRANSFER_RESOURCE_SERVER, scope);
    FileListResponse answer = caller.repeatable(action, auth,
        header -> api.ls(header, collectionId, path, LIST_LIMIT), failure -> failureOf(action, failure));
    List<String> names = answer.data() == null ? List.of()
        : answer.data().stream().map(FileListResponse.Entry::name).filter(Objects::nonNull).toList();
    return new DirectoryListing(collectionId, path, answer.absolutePath(), names,
        answer.total() != null ? answer.total() : names.size());
  }

  /** Transfer's codes say more than the shared advice about flows and runs; null keeps the default. */
  private GlobusException failureOf(String action, HttpFailure failure) {
    ErrorMapper.ErrorBody body = errors.parse(failure.body());
    if (body.isConsent()) {
      return null;
    }
    String code = body.code() == null ? "" : body.code();
    String reason = "the service answered " + errors.describe(failure);
    if (failure.status() >= 500 && (code.contains("ExternalError") || code.contains("EndpointError"))) {
      return new InvalidRequestException(action, reason, List.of(), storageRemedy(code), failure.status(), code, null);
    }
    if (failure.status() == 404) {
      return new NotFoundException(action, reason, "Check collections.<name>.id and globus_root in the config: the"
          + " collection or the directory does not exist, or is not visible to this identity.", null);
    }
    if (failure.status() == 403) {
      return new ForbiddenException(action, reason, "The identity flowwatch uses may not read this collection: a"
          + " mapped collection must map it to a local account (a confidential client is"
          + " <client_id>@clients.auth.globus.org), a guest collection needs an ACL for it.", null);
    }
    return null;
  }

  private static String storageRemedy(String code) {
    String lower = code.toLowerCase(Locale.ROOT);
    if (lower.contains("permissiondenied")) {
      return "The collection's storage denied the listing: check the directory's permissions for the mapped"
          + " local account.";
    }
    if (lower.contains("loginfailed")) {
      return "The collection could not log in to its storage as the mapped account: check the collection's"
          + " identity mapping.";
    }
    return "The collection's storage refused; repeating will not help until the collection is fixed.";
  }
}
