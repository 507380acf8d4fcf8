package org.flowwatch.globus;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import java.time.Duration;
import java.util.Map;

/** Points every Globus client at one WireMock server, the way GLOBUS_SDK_SERVICE_URL_* would. */
public final class TestServices {

  private TestServices() {}

  public static WireMockExtension wireMock() {
    return WireMockExtension.newInstance()
        .options(wireMockConfig().dynamicPort())
        .failOnUnmatchedRequests(true)
        .build();
  }

  public static GlobusHttp http(WireMockExtension wm) {
    return http(wm.baseUrl(), Duration.ofSeconds(5));
  }

  public static GlobusHttp http(String baseUrl, Duration timeout) {
    return new GlobusHttp(ServiceUrls.from(Map.of(
        "GLOBUS_SDK_SERVICE_URL_AUTH", baseUrl,
        "GLOBUS_SDK_SERVICE_URL_FLOWS", baseUrl)), timeout);
  }
}
