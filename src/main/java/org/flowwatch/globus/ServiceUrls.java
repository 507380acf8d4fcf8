package org.flowwatch.globus;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.flowwatch.config.ConfigException;

/**
 * Base URLs of the Globus services flowwatch talks to, without a trailing slash.
 *
 * <p>Only scheme, host, port and an optional path prefix belong here. Service path prefixes such as
 * Transfer's {@code /v0.10} or Compute's {@code /v2} and {@code /v3} live in the {@code *Api} interfaces,
 * so a mock server can stand in for a service by overriding the base URL alone.
 *
 * @param auth Globus Auth
 * @param flows the Flows service
 * @param transfer the Transfer API
 * @param compute the Globus Compute web service
 */
public record ServiceUrls(URI auth, URI flows, URI transfer, URI compute) {

  /** The production services. */
  public static final ServiceUrls PRODUCTION =
      new ServiceUrls(
          URI.create("https://auth.globus.org"),
          URI.create("https://flows.automate.globus.org"),
          URI.create("https://transfer.api.globus.org"),
          URI.create("https://compute.api.globus.org"));

  /** Environment variable prefix shared with the Python SDK, so one mock setup serves both. */
  static final String ENV_PREFIX = "GLOBUS_SDK_SERVICE_URL_";

  public ServiceUrls {
    auth = normalize(auth, "auth");
    flows = normalize(flows, "flows");
    transfer = normalize(transfer, "transfer");
    compute = normalize(compute, "compute");
  }

  /**
   * Production URLs, each overridden by {@code GLOBUS_SDK_SERVICE_URL_AUTH}, {@code _FLOWS},
   * {@code _TRANSFER} or {@code _COMPUTE} when that variable is set and not blank.
   *
   * @throws ConfigException naming the variable when an override is not an absolute http(s) URL
   */
  public static ServiceUrls from(Map<String, String> env) {
    return new ServiceUrls(
        override(env, "AUTH", PRODUCTION.auth),
        override(env, "FLOWS", PRODUCTION.flows),
        override(env, "TRANSFER", PRODUCTION.transfer),
        override(env, "COMPUTE", PRODUCTION.compute));
  }

  private static URI override(Map<String, String> env, String service, URI fallback) {
    String variable = ENV_PREFIX + service;
    String value = env.get(variable);
    if (value == null || value.isBlank()) {
      return fallback;
    }
    try {
      return normalize(new URI(value.trim()), variable);
    } catch (URISyntaxException | IllegalArgumentException e) {
      // A bad override is a setting the user must fix, like a bad config key.
      throw new ConfigException(
          variable + "='" + value + "' is not a usable service URL (" + reason(e)
              + "); set it to an absolute http(s) URL such as http://localhost:8080, or unset it to use "
              + fallback,
          e);
    }
  }

  private static String reason(Exception e) {
    return e instanceof URISyntaxException syntax ? syntax.getReason() : e.getMessage();
  }

  private static URI normalize(URI uri, String name) {
    Objects.requireNonNull(uri, name);
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new IllegalArgumentException(name + " URL must start with http:// or https://, got '" + uri + "'");
    }
    if (uri.getHost() == null || uri.getHost().isEmpty()) {
      throw new IllegalArgumentException(name + " URL has no host: '" + uri + "'");
    }
    if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
      throw new IllegalArgumentException(name + " URL must not have a query or fragment: '" + uri + "'");
    }
    String text = uri.toString();
    while (text.endsWith("/")) {
      text = text.substring(0, text.length() - 1);
    }
    return URI.create(text);
  }
}
