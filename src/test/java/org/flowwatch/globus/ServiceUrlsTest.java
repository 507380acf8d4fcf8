package org.flowwatch.globus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.Map;
import org.flowwatch.config.ConfigException;
import org.junit.jupiter.api.Test;

class ServiceUrlsTest {

  @Test
  void defaultsToProductionServices() {
    ServiceUrls urls = ServiceUrls.from(Map.of());
    assertEquals(URI.create("https://auth.globus.org"), urls.auth());
    assertEquals(URI.create("https://flows.automate.globus.org"), urls.flows());
    assertEquals(URI.create("https://transfer.api.globus.org"), urls.transfer());
    assertEquals(URI.create("https://compute.api.globus.org"), urls.compute());
  }

  @Test
  void sdkVariablesOverrideEachServiceAndLoseTheTrailingSlash() {
    ServiceUrls urls = ServiceUrls.from(Map.of(
        "GLOBUS_SDK_SERVICE_URL_AUTH", "http://localhost:8081/",
        "GLOBUS_SDK_SERVICE_URL_FLOWS", "http://localhost:8082/flows-mock",
        "GLOBUS_SDK_SERVICE_URL_TRANSFER", "http://127.0.0.1:8083",
        "GLOBUS_SDK_SERVICE_URL_COMPUTE", "https://compute.api.preview.globus.org"));
    assertEquals(URI.create("http://localhost:8081"), urls.auth());
    assertEquals(URI.create("http://localhost:8082/flows-mock"), urls.flows());
    assertEquals(URI.create("http://127.0.0.1:8083"), urls.transfer());
    assertEquals(URI.create("https://compute.api.preview.globus.org"), urls.compute());
  }

  @Test
  void blankOverrideKeepsTheDefault() {
    assertEquals(ServiceUrls.PRODUCTION.flows(),
        ServiceUrls.from(Map.of("GLOBUS_SDK_SERVICE_URL_FLOWS", "  ")).flows());
  }

  @Test
  void malformedOverrideNamesTheVariable() {
    for (String bad : new String[] {"localhost:8080", "ftp://host", "http://exa mple.org", "http:///path", "http://h/?q=1"}) {
      ConfigException e = assertThrows(ConfigException.class,
          () -> ServiceUrls.from(Map.of("GLOBUS_SDK_SERVICE_URL_TRANSFER", bad)), bad);
      assertTrue(e.getMessage().contains("GLOBUS_SDK_SERVICE_URL_TRANSFER"), e.getMessage());
      assertTrue(e.getMessage().contains(bad), e.getMessage());
    }
  }
}
