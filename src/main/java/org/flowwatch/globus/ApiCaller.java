package org.flowwatch.globus;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import okhttp3.HttpUrl;
import okhttp3.Request;
import org.flowwatch.config.Durations;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import retrofit2.Call;
import retrofit2.Response;

/**
 * Runs Retrofit calls for the service clients: the one retry loop, the 401-refresh-once rule, and the
 * mapping of failures to {@link GlobusException}s. The service clients in the subpackages (auth, flows,
 * compute; transfer later) describe a call and pick {@link #repeatable} or {@link #once}; nothing but
 * this class and {@link HttpFailure} sees a Retrofit {@link Response}.
 */
public final class ApiCaller {

  private static final Logger log = LoggerFactory.getLogger(ApiCaller.class);

  /**
   * Lets a client map some failures its own way before the retry decision: the token endpoint's OAuth
   * errors, or (for a Transfer client) 5xx codes containing ExternalError/EndpointError, which are not
   * transient and must not be retried. Returning null means "use the default".
   */
  public interface FailureOverride extends Function<HttpFailure, GlobusException> {}

  static final FailureOverride NO_OVERRIDE = failure -> null;

  private final String service;
  private final ErrorMapper errors;
  private final RetryPolicy policy;
  private final Sleeper sleeper;

  /**
   * @param service the service the calls go to, as a log line names it: "the token endpoint", "the Flows
   *     service"
   */
  public ApiCaller(String service, ErrorMapper errors, RetryPolicy policy, Sleeper sleeper) {
    this.service = Objects.requireNonNull(service, "service");
    this.errors = Objects.requireNonNull(errors, "errors");
    this.policy = Objects.requireNonNull(policy, "policy");
    this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
  }

  public <T> T repeatable(String action, Authorization auth, Function<String, Call<T>> request) {
    return repeatable(action, auth, request, NO_OVERRIDE);
  }

  /**
   * Sends a call that is safe to repeat (GET, token grants), retrying network errors and
   * 429/500/502/503/504 under the policy, and after a 401 renewing the credential and retrying once.
   *
   * @param request builds the call from the Authorization header value (null for none)
   */
  public <T> T repeatable(String action, Authorization auth, Function<String, Call<T>> request, FailureOverride override) {
    int attempts = 0;
    int retries = 0;
    boolean renewed = false;
    long deadline = System.nanoTime() + policy.budget().toNanos();
    while (true) {
      Call<T> call = request.apply(auth.header());
      attempts++;
      Response<T> response;
      try {
        response = withinBudget(call, deadline).execute();
      } catch (IOException e) {
        Duration wait = policy.backoff(retries + 1, ThreadLocalRandom.current().nextDouble());
        // An unreadable answer will not read better the second time.
        if (retries >= policy.maxRetries() || e instanceof JsonProcessingException || !fits(wait, deadline)) {
          throw errors.unreachable(action, target(call), e, attempts);
        }
        retries++;
        log.warn("{}: {}; retry {} of {} in {}", service, ErrorMapper.cause(e), retries, policy.maxRetries(),
            Durations.spoken(wait));
        pause(action, wait);
        continue;
      }
      if (response.isSuccessful()) {
        return bodyOf(response, () -> new ServiceUnavailableException(action,
            "the service answered HTTP " + response.code() + " without a body", "Try again later.", false, null, null));
      }
      HttpFailure failure = HttpFailure.of(response);
      if (failure.status() == 401 && !renewed && auth.renew()) {
        // The token may have been revoked or expired early; a fresh one gets exactly one more try.
        renewed = true;
        log.info("{} answered HTTP 401; retrying once with a renewed token", where(call));
        continue;
      }
      GlobusException special = override.apply(failure);
      if (special != null) {
        throw special;
      }
      if (!policy.isRetryable(failure.status())) {
        throw errors.fromResponse(action, auth, failure);
      }
      Duration retryAfter = policy.honoursRetryAfter(failure.status())
          ? RetryPolicy.parseRetryAfter(failure.retryAfter())
          : null;
      Duration wait = retryAfter != null ? retryAfter : policy.backoff(retries + 1, ThreadLocalRandom.current().nextDouble());
      if (retries >= policy.maxRetries()
          || (retryAfter != null && retryAfter.compareTo(policy.maxRetryAfter()) > 0) || !fits(wait, deadline)) {
        throw errors.fromResponse(action, auth, failure, attempts);
      }
      retries++;
      log.warn("{} answered HTTP {}; retry {} of {} in {}", service, failure.status(), retries,
          policy.maxRetries(), Durations.spoken(wait));
      pause(action, wait);
    }
  }

  /**
   * Sends a call that must not be repeated blindly (a run start has no idempotency key). It is sent
   * once, plus once more only after a 401, which proves the first was refused before it took effect.
   * Whenever the request may have reached the service without a readable success answer (timeout,
   * reset, 5xx, unreadable body) this throws {@link OutcomeUnknownException}; when it certainly never
   * left (connection refused) a {@link ServiceUnavailableException} with {@code nothingSent()} true.
   *
   * @param label how the created thing can be found again, named in OutcomeUnknownException
   */
  public <T> T once(String action, Authorization auth, String label, Function<String, Call<T>> request) {
    boolean renewed = false;
    while (true) {
      Call<T> call = request.apply(auth.header());
      Response<T> response;
      try {
        response = call.execute();
      } catch (IOException e) {
        if (ErrorMapper.nothingSent(e)) {
          throw new ServiceUnavailableException(action, ErrorMapper.describe(target(call), e),
              "Nothing was sent, so nothing was started; try again when the service is reachable.", true, null, e);
        }
        throw new OutcomeUnknownException(action, ErrorMapper.describe(target(call), e), label, e);
      }
      if (response.isSuccessful()) {
        return bodyOf(response, () -> new OutcomeUnknownException(action,
            "the service accepted the request (HTTP " + response.code() + ") but sent no readable answer", label, null));
      }
      HttpFailure failure = HttpFailure.of(response);
      if (failure.status() == 401 && !renewed && auth.renew()) {
        renewed = true;
        log.info("{} answered HTTP 401; sending it once more with a renewed token", where(call));
        continue;
      }
      if (failure.status() >= 500) {
        throw new OutcomeUnknownException(action, "the service answered " + errors.describe(failure), label, null);
      }
      throw errors.fromResponse(action, auth, failure);
    }
  }

  private static <T> T bodyOf(Response<T> response, Supplier<GlobusException> whenEmpty) {
    T body = response.body();
    if (body == null) {
      throw whenEmpty.get();
    }
    return body;
  }

  private void pause(String action, Duration wait) {
    try {
      sleeper.sleep(wait);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ServiceUnavailableException(action, "interrupted while waiting to retry", "", false, null, e);
    }
  }

  /** One call's attempt may take what is left of the budget, and never more than the client's own timeout. */
  private static <T> Call<T> withinBudget(Call<T> call, long deadline) {
    long left = Math.max(1, deadline - System.nanoTime());
    long own = call.timeout().timeoutNanos();
    call.timeout().timeout(own == 0 ? left : Math.min(own, left), TimeUnit.NANOSECONDS);
    return call;
  }

  /** Whether a wait of {@code wait} still leaves time for another attempt before the deadline. */
  private static boolean fits(Duration wait, long deadline) {
    return System.nanoTime() + wait.toNanos() < deadline;
  }

  /** Scheme, host, port and path: enough to say where, without query values. */
  private static String target(Call<?> call) {
    HttpUrl url = call.request().url();
    return url.scheme() + "://" + url.host() + ":" + url.port() + url.encodedPath();
  }

  private static String where(Call<?> call) {
    Request request = call.request();
    return request.method() + " " + target(call);
  }
}
