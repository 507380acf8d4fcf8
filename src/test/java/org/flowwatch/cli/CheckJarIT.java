package org.flowwatch.cli;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.flowwatch.globus.Fixtures.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.flowwatch.globus.TestServices;
import org.flowwatch.testing.ConfigFiles;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code check} of FRIB's own flowwatch.yaml from the packaged jar, against WireMock stand-ins of every service. */
class CheckJarIT {
  private static final Path REPO = Path.of("").toAbsolutePath();
  private static final String FLOW = "babd88e5-d31d-48c7-b3a0-b765389b5c22";
  private static final String DTN = "9656eff2-8105-445c-8501-154dfe1d88e5";
  /** FRIB's endpoints and functions, as flowwatch.yaml names them: key, endpoint id, endpoint name, function id. */
  private static final List<String[]> PARTS = List.of(
      new String[] {"fit", "ff16dcd1-0632-4fdd-8b0c-d239d4f1b889", "frib-fit-mpi", "42e3e64f-4d1e-4681-9a3e-cc9533d7933e"},
      new String[] {"convert", "f4d90d3e-ed80-4aae-b0de-62fdbe2a0739", "frib-convert",
          "2be66611-af61-4a9e-a0b2-3407675771c7"},
      new String[] {"analyze", "5080ade8-846b-4964-88a1-2c602d5d38f4", "frib-analysis",
          "62f120cd-9249-4124-b9df-44f8e1c44fe1"});

  @RegisterExtension static WireMockExtension globus = TestServices.wireMock();

  @TempDir Path dir;
  private Path config;

  @BeforeEach
  void healthyServices() throws IOException {
    ConfigFiles.copyReferencedFiles(dir);
    config = Files.copy(REPO.resolve("flowwatch.yaml"), dir.resolve("flowwatch.yaml"));
    Files.createDirectories(dir.resolve("sci-dtn"));
    token("flow_babd88e5", resource("jarit/token-frib-flow.json"));
    token("run_status", json("auth/token-client-credentials-flows.json"));
    token("view_flows", json("auth/token-client-credentials-view-flows.json"));
    token("facd7ccc", resource("jarit/token-compute.json"));
    token("scope=urn", json("check/token-transfer.json"));
    deployed(schema());
    for (String[] p : PARTS) {
      globus.stubFor(get("/v2/endpoints/" + p[1]).willReturn(okJson("{\"uuid\": \"" + p[1] + "\", \"name\": \"" + p[2]
          + "\", \"display_name\": \"" + p[2] + "\", \"hostname\": \"login23.chn.perlmutter.nersc.gov\"}")));
      status(p[1], "compute/status-online.json");
      globus.stubFor(get("/v2/functions/" + p[3]).willReturn(okJson("{\"function_uuid\": \"" + p[3]
          + "\", \"function_name\": \"" + p[0] + "\", \"function_code\": \"...\", \"description\": null,"
          + " \"metadata\": {\"python_version\": \"3.10\", \"sdk_version\": \"4.19.0\"}}")));
    }
    globus.stubFor(get(urlPathEqualTo("/v0.10/operation/endpoint/" + DTN + "/ls"))
        .withQueryParam("path", equalTo("/mnt/sci-dtn")).willReturn(okJson(json("check/ls-data.json"))));
  }

  private static void token(String scopePart, String body) {
    globus.stubFor(post("/v2/oauth2/token").withRequestBody(containing(scopePart)).willReturn(okJson(body)));
  }

  private static void status(String endpoint, String fixture) {
    globus.stubFor(get("/v2/endpoints/" + endpoint + "/status").willReturn(okJson(json(fixture))));
  }

  private JsonNode schema() {
    return DeployFixture.read(dir.resolve("schemas/transfer_compute.json"));
  }

  /** The flow document of §2.3, with FRIB's definition and the given schema. */
  private void deployed(JsonNode schema) throws IOException {
    ObjectNode doc = (ObjectNode) DeployFixture.MAPPER.readTree(DeployFixture.flowDocument(
        "FRIB-NERSC-Analysis-Pipeline", DeployFixture.read(dir.resolve("flows/transfer_compute.json")), schema));
    doc.put("id", FLOW);
    globus.stubFor(get("/flows/" + FLOW).willReturn(okJson(doc.toString())));
  }

  private JarRunner.Result check() throws Exception {
    return new JarRunner(dir)
        .env("FRIB_DTN_ROOT", dir.resolve("sci-dtn").toString())
        .env("GLOBUS_SDK_SERVICE_URL_AUTH", globus.baseUrl())
        .env("GLOBUS_SDK_SERVICE_URL_FLOWS", globus.baseUrl())
        .env("GLOBUS_SDK_SERVICE_URL_COMPUTE", globus.baseUrl())
        .env("GLOBUS_SDK_SERVICE_URL_TRANSFER", globus.baseUrl())
        .env("GLOBUS_CLIENT_ID", DeployFixture.CLIENT_ID)
        .env("GLOBUS_CLIENT_SECRET", DeployFixture.CLIENT_SECRET)
        .run("check", "--config", config.toString()).assertNoStackTrace();
  }

  private static String resource(String path) throws IOException {
    try (InputStream in = CheckJarIT.class.getResourceAsStream("/" + path)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void fribsDeploymentIsReadyWhenEveryServiceAnswersWell() throws Exception {
    JarRunner.Result r = check();

    assertEquals(0, r.code(), r.out() + r.err());
    for (String check : List.of("endpoint fit", "endpoint convert", "endpoint analyze", "function fit",
        "function convert", "function analyze", "collection frib_dtn", "flow drift")) {
      assertTrue(r.out().lines().anyMatch(l -> l.startsWith("ok    " + check + " ")), check + " in\n" + r.out());
    }
    // nersc_dtn has no root on this host: runs only name it, nothing lists it here.
    assertTrue(r.out().lines().noneMatch(l -> l.contains("collection nersc_dtn")), r.out());
    assertTrue(r.err().contains("ready: "), r.err());
  }

  @Test
  void theFirstFailurePrintedDecidesTheExitCode() throws Exception {
    ObjectNode changed = (ObjectNode) schema();
    changed.put("description", "edited in the web app");
    deployed(changed);
    status(PARTS.get(2)[1], "compute/status-offline.json");

    JarRunner.Result r = check();

    assertEquals(ExitCode.INVALID_INPUT, r.code(), "drift is printed before the offline endpoint:\n" + r.out());
    assertTrue(r.out().lines().anyMatch(l -> l.startsWith("fail  flow drift ") && l.contains("input_schema")), r.out());
    assertTrue(r.out().lines().anyMatch(l -> l.startsWith("fail  endpoint analyze ") && l.contains("offline")),
        r.out());
    assertTrue(r.err().contains("not ready: 2 of"), r.err());
  }
}
