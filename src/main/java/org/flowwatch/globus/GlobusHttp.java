package org.flowwatch.globus;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import okhttp3.ConnectionPool;
import okhttp3.OkHttpClient;
import retrofit2.Retrofit;
import retrofit2.converter.jackson.JacksonConverterFactory;

/**
 * The one factory for the ObjectMapper, the OkHttp client and the Retrofit instances every Globus client
 * uses. One per process; it owns OkHttp's connection pool and threads, so close it on shutdown.
 */
public final class GlobusHttp implements AutoCloseable {

  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

  /** Connecting is quick or hopeless; waiting the whole read timeout for it only delays the retry. */
  private static final Duration MAX_CONNECT_TIMEOUT = Duration.ofSeconds(10);

  /**
   * Idle connections kept for reuse: as many as the agent may have start requests out at once
   * (at most {@code watch.concurrent_starts}), so a burst of starts does not open a new connection for all
   * but five of every batch, as OkHttp's default pool would.
   */
  private static final int IDLE_CONNECTIONS = org.flowwatch.config.WatchConfig.MAX_CONCURRENT_STARTS;

  private final ServiceUrls urls;
  private final ObjectMapper mapper;
  private final OkHttpClient okHttp;

  public GlobusHttp(ServiceUrls urls) {
    this(urls, DEFAULT_TIMEOUT);
  }

  /**
   * @param timeout read/write timeout and the bound on one whole call (connect is capped at 10 s)
   */
  public GlobusHttp(ServiceUrls urls, Duration timeout) {
    this.urls = Objects.requireNonNull(urls, "urls");
    if (timeout == null || timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive, got " + timeout);
    }
    this.mapper = newMapper();
    String userAgent = "flowwatch/" + version();
    this.okHttp =
        new OkHttpClient.Builder()
            .connectTimeout(timeout.compareTo(MAX_CONNECT_TIMEOUT) < 0 ? timeout : MAX_CONNECT_TIMEOUT)
            .readTimeout(timeout)
            .writeTimeout(timeout)
            .callTimeout(timeout)
            .connectionPool(new ConnectionPool(IDLE_CONNECTIONS, 5, TimeUnit.MINUTES))
            // OkHttp would otherwise silently resend a request, a POST included, when a pooled
            // connection turns out to be stale. A resent run start can create a second run; retries
            // are decided by ApiCaller, which knows which calls are safe to repeat.
            .retryOnConnectionFailure(false)
            .addInterceptor(
                chain -> chain.proceed(chain.request().newBuilder().header("User-Agent", userAgent).build()))
            .build();
  }

  /** The service base URLs. */
  public ServiceUrls urls() {
    return urls;
  }

  /** Snake-case JSON, unknown properties ignored (Globus adds fields), nulls left out of requests. */
  public ObjectMapper mapper() {
    return mapper;
  }

  /** A Retrofit implementation of {@code api} rooted at {@code baseUrl}. Api paths must be relative. */
  public <T> T api(URI baseUrl, Class<T> api) {
    return new Retrofit.Builder()
        .baseUrl(baseUrl + "/")
        .client(okHttp)
        .addConverterFactory(JacksonConverterFactory.create(mapper))
        .build()
        .create(api);
  }

  /**
   * Cancels every call in flight, synchronous ones included (they fail at once with an IOException), so a
   * stop need not wait out a service that does not answer.
   */
  public void cancelAll() {
    okHttp.dispatcher().cancelAll();
  }

  @Override
  public void close() {
    okHttp.dispatcher().executorService().shutdown();
    okHttp.connectionPool().evictAll();
  }

  public static ObjectMapper newMapper() {
    return new ObjectMapper()
        .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
        .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
        .setSerializationInclusion(JsonInclude.Include.NON_NULL);
  }

  private static String version() {
    String version = GlobusHttp.class.getPackage().getImplementationVersion();
    return version == null ? "dev" : version;
  }
}
