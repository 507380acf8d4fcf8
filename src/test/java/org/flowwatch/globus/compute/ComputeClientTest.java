package org.flowwatch.globus.compute;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.flowwatch.globus.Fixtures.NATIVE_CLIENT_ID;
import static org.flowwatch.globus.Fixtures.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.flowwatch.globus.GlobusHttp;
import org.flowwatch.globus.MutableClock;
import org.flowwatch.globus.NotFoundException;
import org.flowwatch.globus.RetryPolicy;
import org.flowwatch.globus.ServiceUrls;
import org.flowwatch.globus.TestServices;
import org.flowwatch.globus.auth.AuthClient;
import org.flowwatch.globus.auth.Scopes;
import org.flowwatch.globus.auth.TestTokenManagers;
import org.flowwatch.globus.auth.Token;
import org.flowwatch.globus.auth.TokenStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class ComputeClientTest {
  @RegisterExtension static WireMockExtension wm = TestServices.wireMock();

  static final Instant NOW = Instant.parse("2026-01-02T03:00:00Z");
  static final UUID FIT = UUID.fromString("ff16dcd1-0632-4fdd-8b0c-d239d4f1b889");
  static final UUID FIRST = UUID.fromString("0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9");
  static final UUID SECOND = UUID.fromString("7a6b5c4d-3e2f-4a1b-9c8d-7e6f5a4b3c2d");
  static final String TOKEN = "AgX-user-compute-token";

  @TempDir Path dir;
  final List<Duration> sleeps = new ArrayList<>();
  GlobusHttp http;
  ComputeClient compute;

  @BeforeEach
  void setUp() {
    TokenStore store = new TokenStore(dir.resolve("tokens.json"));
    store.save(NATIVE_CLIENT_ID.toString(), List.of(new Token(Scopes.COMPUTE_RESOURCE_SERVER, TOKEN, "AgR-compute",
        NOW.plus(Duration.ofHours(10)), Scopes.COMPUTE_SCOPE)));
    http = new GlobusHttp(ServiceUrls.from(Map.of("GLOBUS_SDK_SERVICE_URL_AUTH", wm.baseUrl(),
        "GLOBUS_SDK_SERVICE_URL_COMPUTE", wm.baseUrl())), Duration.ofSeconds(5));
    MutableClock clock = new MutableClock(NOW);
    AuthClient auth = new AuthClient(http, clock, RetryPolicy.DEFAULT, sleeps::add);
    compute = new ComputeClient(http, TestTokenManagers.forUser(NATIVE_CLIENT_ID.toString(), store, auth, clock),
        RetryPolicy.DEFAULT, sleeps::add);
  }

  @AfterEach
  void close() {
    http.close();
  }

  private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder status(int code, String fixture) {
    return aResponse().withStatus(code).withHeader("Content-Type", "application/json").withBody(json(fixture));
  }

  @Test
  void endpointStatusReadsNameHostAndStateWithTheComputeToken() {
    wm.stubFor(get(urlEqualTo("/v2/endpoints/" + FIT)).withHeader("Authorization", equalTo("Bearer " + TOKEN))
        .willReturn(okJson(json("compute/endpoint-fit.json"))));
    wm.stubFor(get(urlEqualTo("/v2/endpoints/" + FIT + "/status"))
        .withHeader("Authorization", equalTo("Bearer " + TOKEN))
        .willReturn(okJson(json("compute/status-online.json"))));

    EndpointStatus status = compute.endpointStatus(FIT);

    assertEquals(new EndpointStatus(FIT, "frib-fit-mpi", "login23.chn.perlmutter.nersc.gov", "online"), status);
    assertTrue(status.online());
  }

  @Test
  void anOfflineEndpointIsAnAnswerNotAnError() {
    wm.stubFor(get(urlEqualTo("/v2/endpoints/" + FIT)).willReturn(okJson(json("compute/endpoint-fit.json"))));
    wm.stubFor(get(urlEqualTo("/v2/endpoints/" + FIT + "/status")).willReturn(okJson(json("compute/status-offline.json"))));

    assertFalse(compute.endpointStatus(FIT).online());
  }

  @Test
  void anUnknownEndpointSaysWhichConfigEntryToCheck() {
    wm.stubFor(get(urlEqualTo("/v2/endpoints/" + FIT)).willReturn(status(404, "compute/error-endpoint-not-found.json")));

    NotFoundException e = assertThrows(NotFoundException.class, () -> compute.endpointStatus(FIT));

    assertTrue(e.getMessage().contains("Tried to read Globus Compute endpoint " + FIT), e.getMessage());
    assertTrue(e.getMessage().contains("404 ENDPOINT_NOT_FOUND"), e.getMessage());
    assertTrue(e.getMessage().contains("compute.endpoints"), e.getMessage());
  }

  @Test
  void statusReadsAreRetriedWhenTheServiceFailsOnce() {
    wm.stubFor(get(urlEqualTo("/v2/endpoints/" + FIT)).willReturn(okJson(json("compute/endpoint-fit.json"))));
    wm.stubFor(get(urlEqualTo("/v2/endpoints/" + FIT + "/status")).inScenario("flaky").whenScenarioStateIs(STARTED)
        .willReturn(aResponse().withStatus(503)).willSetStateTo("ok"));
    wm.stubFor(get(urlEqualTo("/v2/endpoints/" + FIT + "/status")).inScenario("flaky").whenScenarioStateIs("ok")
        .willReturn(okJson(json("compute/status-online.json"))));

    assertTrue(compute.endpointStatus(FIT).online());
    assertEquals(1, sleeps.size());
  }

  @Test
  void registrationSendsOnePackedSourceTextBufferMeasuredInCodePoints() throws Exception {
    wm.stubFor(post(urlEqualTo("/v3/functions")).willReturn(okJson(json("compute/register-function.json"))));
    // é is one code point but two UTF-8 bytes; the test tube is one code point but two UTF-16 units.
    String source = "def probe(x):\n    return 'é🧪' + x\n";
    String buffer = "st\nprobe:" + source;
    assertEquals(44, buffer.length(), "UTF-16 units");

    UUID id = compute.registerFunction(new FunctionCode("probe", source), "a probe", "3.10");

    assertEquals(FIRST, id);
    JsonNode body = new ObjectMapper().readTree(
        wm.findAll(postRequestedFor(urlEqualTo("/v3/functions"))).get(0).getBodyAsString());
    assertEquals("43\n" + buffer, body.get("function_code").asText());
    assertEquals("probe", body.get("function_name").asText());
    assertEquals("a probe", body.get("description").asText());
    assertEquals(new ObjectMapper().readTree(
        "{\"python_version\": \"3.10\", \"sdk_version\": \"" + ComputeClient.SDK_VERSION + "\", \"serde_identifier\": \"st\"}"),
        body.get("meta"));
    assertFalse(body.get("public").asBoolean());
    wm.verify(postRequestedFor(urlEqualTo("/v3/functions")).withHeader("Authorization", equalTo("Bearer " + TOKEN)));
  }

  @Test
  void theRegistrarRegistersFirstThenOnlyWhenTheSourceOrTheConfiguredIdChanges() throws Exception {
    wm.stubFor(post(urlEqualTo("/v3/functions")).inScenario("ids").whenScenarioStateIs(STARTED)
        .willReturn(okJson(json("compute/register-function.json"))).willSetStateTo("second"));
    wm.stubFor(post(urlEqualTo("/v3/functions")).inScenario("ids").whenScenarioStateIs("second")
        .willReturn(okJson(json("compute/register-function-again.json"))));
    Path source = Files.writeString(dir.resolve("pipeline.py"), "def fit():\n    return 1\n");
    RegisteredFunctions registry = new RegisteredFunctions(dir.resolve("state/compute-functions.json"));
    FunctionRegistrar registrar = new FunctionRegistrar(compute, registry, Clock.fixed(NOW, ZoneOffset.UTC));
    FunctionCode v1 = new FunctionCode("fit", Files.readString(source));

    FunctionRegistrar.Result first = registrar.register(source, v1, null, false, null, "3.10");
    FunctionRegistrar.Result again = registrar.register(source, v1, null, false, null, "3.10");
    FunctionRegistrar.Result saved = registrar.register(source, v1, FIRST, false, null, "3.10");

    assertEquals(new FunctionRegistrar.Result(FIRST, FunctionRegistrar.Outcome.REGISTERED, null), first);
    assertEquals(new FunctionRegistrar.Result(FIRST, FunctionRegistrar.Outcome.UNCHANGED, FIRST), again);
    assertEquals(FunctionRegistrar.Outcome.UNCHANGED, saved.outcome());
    wm.verify(1, postRequestedFor(urlEqualTo("/v3/functions")));
    JsonNode recorded = new ObjectMapper().readTree(registry.file().toFile()).at("/registrations/0");
    assertEquals(source.toAbsolutePath().toString(), recorded.get("source").asText());
    assertEquals(v1.sourceSha256(), recorded.get("source_sha256").asText());
    assertEquals(FIRST.toString(), recorded.get("function_id").asText());
    assertEquals(wm.baseUrl(), recorded.get("service").asText());

    FunctionCode v2 = new FunctionCode("fit", "def fit():\n    return 2\n");
    FunctionRegistrar.Result changed = registrar.register(source, v2, FIRST, false, null, "3.10");

    assertEquals(new FunctionRegistrar.Result(SECOND, FunctionRegistrar.Outcome.REGISTERED, FIRST), changed);
    assertEquals(FunctionRegistrar.Outcome.UNCHANGED, registrar.register(source, v2, SECOND, false, null, "3.10").outcome());
    wm.verify(2, postRequestedFor(urlEqualTo("/v3/functions")).withRequestBody(
        equalToJson("{\"function_name\": \"fit\"}", true, true)));
  }

  @Test
  void aConfiguredIdFlowwatchDidNotRegisterIsReplaced() throws Exception {
    wm.stubFor(post(urlEqualTo("/v3/functions")).willReturn(okJson(json("compute/register-function.json"))));
    Path source = Files.writeString(dir.resolve("pipeline.py"), "def fit():\n    pass\n");
    FunctionRegistrar registrar = new FunctionRegistrar(compute,
        new RegisteredFunctions(dir.resolve("reg.json")), Clock.systemUTC());
    FunctionCode code = new FunctionCode("fit", Files.readString(source));
    UUID frib = UUID.fromString("42e3e64f-4d1e-4681-9a3e-cc9533d7933e");

    FunctionRegistrar.Result r = registrar.register(source, code, frib, false, null, "3.10");

    assertEquals(new FunctionRegistrar.Result(FIRST, FunctionRegistrar.Outcome.REGISTERED, frib), r);
    assertEquals(FunctionRegistrar.Outcome.REGISTERED, registrar.register(source, code, FIRST, true, null, "3.10")
        .outcome(), "--force registers again");
  }
}
