package org.flowwatch.globus.compute;

import java.net.URI;
import java.util.Objects;
import java.util.UUID;
import org.flowwatch.globus.ApiCaller;
import org.flowwatch.globus.Authorization;
import org.flowwatch.globus.ErrorMapper;
import org.flowwatch.globus.ForbiddenException;
import org.flowwatch.globus.GlobusException;
import org.flowwatch.globus.GlobusHttp;
import org.flowwatch.globus.HttpFailure;
import org.flowwatch.globus.NotFoundException;
import org.flowwatch.globus.RetryPolicy;
import org.flowwatch.globus.ServiceUnavailableException;
import org.flowwatch.globus.Sleeper;
import org.flowwatch.globus.auth.Scopes;
import org.flowwatch.globus.auth.TokenManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Globus Compute web service: endpoint status, and function registration.
 *
 * <p>Every call uses a token for the Compute resource server ({@link Scopes#COMPUTE_SCOPE}). Reads are
 * retried under the {@link RetryPolicy}. Registration is retried too: a repeat can at worst register a
 * second copy of the same code under another id, which costs nothing, and the id kept is the one answered.
 */
public final class ComputeClient {

  private static final Logger log = LoggerFactory.getLogger(ComputeClient.class);

  /**
   * The SDK release whose registration format this client follows; the service records it as the
   * registering SDK's version. Matches the endpoint packages pinned in requirements.txt.
   */
  static final String SDK_VERSION = "4.19.0";

  private final ComputeApi api;
  private final TokenManager tokens;
  private final ApiCaller caller;
  private final ErrorMapper errors;
  private final URI serviceUrl;

  public ComputeClient(GlobusHttp http, TokenManager tokens) {
    this(http, tokens, RetryPolicy.DEFAULT, Sleeper.SYSTEM);
  }

  public ComputeClient(GlobusHttp http, TokenManager tokens, RetryPolicy policy, Sleeper sleeper) {
    this.serviceUrl = http.urls().compute();
    this.api = http.api(serviceUrl, ComputeApi.class);
    this.tokens = Objects.requireNonNull(tokens, "tokens");
    this.errors = new ErrorMapper(http.mapper());
    this.caller = new ApiCaller("the Compute service", errors, policy, sleeper);
  }

  /** The Compute service base URL this client talks to (registrations are remembered per service). */
  public URI serviceUrl() {
    return serviceUrl;
  }

  /**
   * The endpoint's name, host and state, from {@code GET /v2/endpoints/{id}} and
   * {@code GET /v2/endpoints/{id}/status}. An endpoint that exists but is not connected is
   * {@code online() == false}, not an exception.
   *
   * @throws NotFoundException when no such endpoint is visible to this identity
   * @throws GlobusException subclasses for credentials, permissions and an unreachable service
   */
  public EndpointStatus endpointStatus(UUID endpointId) {
    Objects.requireNonNull(endpointId, "endpointId");
    Authorization auth = token();
    String read = "read Globus Compute endpoint " + endpointId;
    EndpointResponse endpoint = caller.repeatable(read, auth,
        header -> api.endpoint(header, endpointId), failure -> endpointFailure(read, failure));
    String readStatus = "read the status of Globus Compute endpoint " + endpointId;
    EndpointStatusResponse status = caller.repeatable(readStatus, auth,
        header -> api.endpointStatus(header, endpointId), failure -> endpointFailure(readStatus, failure));
    String name = endpoint.name() != null ? endpoint.name() : endpoint.displayName();
    return new EndpointStatus(endpointId, name, endpoint.hostname(), status.status());
  }

  /**
   * Registers {@code code} with {@code POST /v3/functions} and returns the new function id. Nothing is
   * compared with earlier registrations here; {@link FunctionRegistrar} does that.
   *
   * @param description shown in the Globus web app; may be null
   * @param pythonVersion the Python version the function is written for, recorded as metadata
   */
  public UUID registerFunction(FunctionCode code, String description, String pythonVersion) {
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(pythonVersion, "pythonVersion");
    RegisterFunctionRequest body = new RegisterFunctionRequest(code.name(), code.packed(), description,
        new RegisterFunctionRequest.Meta(pythonVersion, SDK_VERSION, FunctionCode.SERDE_IDENTIFIER), false);
    String action = "register the function " + code.name() + " with Globus Compute";
    RegisterFunctionResponse answer = caller.repeatable(action, token(),
        header -> api.registerFunction(header, body), failure -> forbidden(action, failure));
    if (answer.functionUuid() == null) {
      throw new ServiceUnavailableException(action, "the service answered without a function_uuid",
          "Try again later.", false, null, null);
    }
    if (answer.haWarning() != null && !answer.haWarning().isBlank()) {
      log.warn("Globus Compute: {}", answer.haWarning());
    }
    log.info("Registered {} as function {}", code.name(), answer.functionUuid());
    return answer.functionUuid();
  }

  /**
   * The function of {@code functionId} as the service knows it ({@code GET /v2/functions/{id}}). Only
   * that it answers 2xx is relied on: the reference lists the answer's fields, and a body missing them
   * still proves the id is known.
   *
   * @throws NotFoundException when no such function is visible to this identity
   */
  public FunctionInfo function(UUID functionId) {
    Objects.requireNonNull(functionId, "functionId");
    String action = "read Globus Compute function " + functionId;
    FunctionResponse answer = caller.repeatable(action, token(), header -> api.function(header, functionId),
        failure -> functionFailure(action, failure));
    return new FunctionInfo(functionId, answer.functionName());
  }

  private GlobusException functionFailure(String action, HttpFailure failure) {
    if (failure.status() == 404) {
      return new NotFoundException(action, "the service answered " + errors.describe(failure),
          "The function id in the config (compute.functions) is not known to this Compute service, or not visible"
              + " to this identity: run 'flowwatch register-function --save' to register it and write the new id.",
          null);
    }
    if (failure.status() == 403 && !errors.parse(failure.body()).isConsent()) {
      return new ForbiddenException(action, "the service answered " + errors.describe(failure),
          "A function is usable by the identity that registered it and those it is shared with: register it as"
              + " this identity ('flowwatch register-function --save'), or ask its owner to share it.", null);
    }
    return forbidden(action, failure);
  }

  private Authorization token() {
    return tokens.bearer(Scopes.COMPUTE_RESOURCE_SERVER, Scopes.COMPUTE_SCOPE);
  }

  /** The shared mapper's 403 and 404 advice is about flows and runs; these name the endpoint instead. */
  private GlobusException endpointFailure(String action, HttpFailure failure) {
    if (failure.status() == 404) {
      return new NotFoundException(action, "the service answered " + errors.describe(failure),
          "Check the endpoint id in the config (compute.endpoints): no endpoint with this id is visible to this"
              + " identity. 'globus-compute-endpoint list' on the endpoint's host shows the ids.", null);
    }
    return forbidden(action, failure);
  }

  private GlobusException forbidden(String action, HttpFailure failure) {
    if (failure.status() != 403 || errors.parse(failure.body()).isConsent()) {
      return null;
    }
    return new ForbiddenException(action, "the service answered " + errors.describe(failure),
        "The identity flowwatch uses is not allowed this: an endpoint is usable by its owner and those it is"
            + " shared with. Use the identity that created the endpoint, or ask its owner.", null);
  }
}
