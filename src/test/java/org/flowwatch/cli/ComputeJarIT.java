package org.flowwatch.cli;

import org.flowwatch.testing.ConfigFiles;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** register-function and endpoints status, run from the packaged jar against a WireMock Compute service. */
class ComputeJarIT {
  private static final Path REPO = Path.of("").toAbsolutePath();
  private static final String FRIB_FIT_ID = "42e3e64f-4d1e-4681-9a3e-cc9533d7933e";
  private static final String FIRST = "0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9";
  private static final String SECOND = "7a6b5c4d-3e2f-4a1b-9c8d-7e6f5a4b3c2d";
  private static final String FIT_EP = "ff16dcd1-0632-4fdd-8b0c-d239d4f1b889";
  private static final String CONVERT_EP = "f4d90d3e-ed80-4aae-b0de-62fdbe2a0739";
  private static final String ANALYZE_EP = "5080ade8-846b-4964-88a1-2c602d5d38f4";

  @RegisterExtension
  static WireMockExtension compute = WireMockExtension.newInstance()
      .options(wireMockConfig().dynamicPort())
      .failOnUnmatchedRequests(true)
      .build();

  @TempDir Path dir;
  private Path config;

  @BeforeEach
  void copyConfigAndStubTokens() throws IOException {
    ConfigFiles.copyReferencedFiles(dir);
    config = Files.copy(REPO.resolve("flowwatch.yaml"), dir.resolve("flowwatch.yaml"));
    compute.stubFor(post("/v2/oauth2/token").withRequestBody(containing("facd7ccc-c5f4-42aa-916b-a0e270e2c2a9"))
        .willReturn(json(200, resource("jarit/token-compute.json"))));
  }

  private JarRunner jar() {
    return new JarRunner(dir)
        .env("GLOBUS_SDK_SERVICE_URL_AUTH", compute.baseUrl())
        .env("GLOBUS_SDK_SERVICE_URL_COMPUTE", compute.baseUrl())
        .env("GLOBUS_CLIENT_ID", "c0ffee00-1111-4222-8333-444455556666")
        .env("GLOBUS_CLIENT_SECRET", "not-a-real-secret-value");
  }

  private JarRunner.Result run(String... args) throws Exception {
    String[] all = new String[args.length + 2];
    all[0] = "--config";
    all[1] = config.toString();
    System.arraycopy(args, 0, all, 2, args.length);
    return jar().run(all).assertNoStackTrace();
  }

  private static String resource(String path) throws IOException {
    try (InputStream in = ComputeJarIT.class.getResourceAsStream("/" + path)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static ResponseDefinitionBuilder json(int status, String body) {
    return aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(body);
  }

  private static String packed(String name, String source) {
    String buffer = "st\n" + name + ":" + source;
    return buffer.codePointCount(0, buffer.length()) + "\n" + buffer;
  }

  @Test
  void registersTheFirstTimeThenOnlyWhenTheSourceChangesAndSavesOnlyTheIdLines() throws Exception {
    compute.stubFor(post("/v3/functions").inScenario("ids").whenScenarioStateIs(STARTED)
        .willReturn(json(200, resource("globus/compute/register-function.json"))).willSetStateTo("again"));
    compute.stubFor(post("/v3/functions").inScenario("ids").whenScenarioStateIs("again")
        .willReturn(json(200, resource("globus/compute/register-function-again.json"))));
    String original = Files.readString(config);
    Path source = dir.resolve("src/main/python/pipeline.py");

    // First time: FRIB's id in the config is not one flowwatch registered, so the code is registered.
    JarRunner.Result first = run("register-function", "fit", "--save");

    assertEquals(0, first.code(), first.err());
    assertEquals("fit " + FIRST + " registered\n", first.out());
    compute.verify(1, postRequestedFor(urlEqualTo("/v3/functions"))
        .withHeader("Authorization", equalTo("Bearer compute-service-token"))
        .withRequestBody(matchingJsonPath("$.function_name", equalTo("fit")))
        .withRequestBody(matchingJsonPath("$.function_code", equalTo(packed("fit", Files.readString(source)))))
        .withRequestBody(matchingJsonPath("$.meta.serde_identifier", equalTo("st"))));
    // Byte for byte the same file, except the function's id line and the vars entry the input template reads.
    assertEquals(original.replace("      id: " + FRIB_FIT_ID, "      id: " + FIRST)
        .replace("fit_function: " + FRIB_FIT_ID, "fit_function: " + FIRST), Files.readString(config));
    assertTrue(first.err().contains("compute.functions.fit.id: " + FIRST + " (was " + FRIB_FIT_ID + ")"), first.err());
    JsonNode state = new ObjectMapper().readTree(dir.resolve("state/flowwatch/compute-functions.json").toFile());
    assertEquals(FIRST, state.at("/registrations/0/function_id").asText());
    assertEquals(source.toString(), state.at("/registrations/0/source").asText());

    // Unchanged source: nothing is sent.
    JarRunner.Result unchanged = run("register-function", "fit");

    assertEquals(0, unchanged.code(), unchanged.err());
    assertEquals("fit " + FIRST + " unchanged\n", unchanged.out());
    compute.verify(1, postRequestedFor(urlEqualTo("/v3/functions")));

    // Changed source: registered again, and --save moves both lines on.
    Files.writeString(source, Files.readString(source) + "\n# a change\n");
    JarRunner.Result changed = run("register-function", "fit", "--save");

    assertEquals(0, changed.code(), changed.err());
    assertEquals("fit " + SECOND + " registered\n", changed.out());
    compute.verify(2, postRequestedFor(urlEqualTo("/v3/functions")));
    assertEquals(original.replace("      id: " + FRIB_FIT_ID, "      id: " + SECOND)
        .replace("fit_function: " + FRIB_FIT_ID, "fit_function: " + SECOND), Files.readString(config));
  }

  @Test
  void printFunctionCodeShowsExactlyWhatWouldBeSentAndSendsNothing() throws Exception {
    Path source = dir.resolve("src/main/python/pipeline.py");
    JarRunner.Result r = jar().run("register-function", "--print-function-code", source + ":analyze");

    assertEquals(0, r.code(), r.err());
    assertEquals(packed("analyze", Files.readString(source)), r.out());
    assertEquals(0, compute.getAllServeEvents().size());
  }

  @Test
  void aFileWithoutTheFunctionIsRefusedBeforeAnyRequest() throws Exception {
    Path other = Files.writeString(dir.resolve("other.py"), "def helper():\n    pass\n");
    JarRunner.Result r = run("register-function", other + ":fit");

    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().contains("defines no top-level function 'fit'"), r.err());
    assertEquals(0, compute.getAllServeEvents().size());
  }

  @Test
  void endpointsStatusShowsEachEndpointAndExitsByTheWorstOne() throws Exception {
    compute.stubFor(get("/v2/endpoints/" + FIT_EP).willReturn(json(200, resource("globus/compute/endpoint-fit.json"))));
    compute.stubFor(get("/v2/endpoints/" + FIT_EP + "/status")
        .willReturn(json(200, resource("globus/compute/status-online.json"))));
    compute.stubFor(get("/v2/endpoints/" + CONVERT_EP)
        .willReturn(json(200, resource("globus/compute/endpoint-convert.json"))));
    compute.stubFor(get("/v2/endpoints/" + CONVERT_EP + "/status")
        .willReturn(json(200, resource("globus/compute/status-offline.json"))));
    compute.stubFor(get("/v2/endpoints/" + ANALYZE_EP)
        .willReturn(json(404, resource("globus/compute/error-endpoint-not-found.json"))));

    JarRunner.Result all = run("endpoints", "status");

    assertEquals(6, all.code(), all.err());
    assertEquals("""
        ENDPOINT  NAME           HOST                              STATUS     ID
        fit       frib-fit-mpi   login23.chn.perlmutter.nersc.gov  online     ff16dcd1-0632-4fdd-8b0c-d239d4f1b889
        convert   frib-convert   login31.chn.perlmutter.nersc.gov  offline    f4d90d3e-ed80-4aae-b0de-62fdbe2a0739
        analyze   frib-analysis  -                                 not found  5080ade8-846b-4964-88a1-2c602d5d38f4
        """, all.out());
    assertTrue(all.err().contains("analyze: Tried to read Globus Compute endpoint " + ANALYZE_EP), all.err());

    assertEquals(0, run("endpoints", "status", "fit").code());
    assertEquals(7, run("endpoints", "status", "fit", "convert").code());
    JarRunner.Result unknown = run("endpoints", "status", "fitt");
    assertEquals(2, unknown.code());
    assertTrue(unknown.err().contains("no endpoint 'fitt' under compute.endpoints"), unknown.err());
  }
}
