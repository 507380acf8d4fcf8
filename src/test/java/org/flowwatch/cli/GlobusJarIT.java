package org.flowwatch.cli;

import org.flowwatch.testing.ConfigFiles;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The packaged jar against a WireMock Globus, reached through the GLOBUS_SDK_SERVICE_URL_* overrides. */
class GlobusJarIT {
  private static final Path REPO = Path.of("").toAbsolutePath();
  private static final String FLOW = "babd88e5-d31d-48c7-b3a0-b765389b5c22";
  private static final String RUN = "5d3a1c2e-7f00-4a11-9b3e-1217aa000001";
  private static final String NATIVE_CLIENT = "0d7c1d37-9e11-4c3a-8a27-5b1f2f3a4b5c";

  @RegisterExtension
  static WireMockExtension globus = WireMockExtension.newInstance()
      .options(wireMockConfig().dynamicPort())
      .failOnUnmatchedRequests(true)
      .build();

  @TempDir Path dir;
  private Path run1217;

  @BeforeEach
  void createRunDirectory() throws IOException {
    Path dtn = dir.resolve("sci-dtn");
    run1217 = Files.createDirectories(dtn.resolve("e21062_2/rawdata/run1217"));
    for (String seg : new String[] {"00", "01", "02"}) {
      Files.writeString(run1217.resolve("run-1217-" + seg + ".evt"), "segment " + seg);
    }
  }

  private JarRunner jar() {
    return new JarRunner(dir)
        .env("FRIB_DTN_ROOT", dir.resolve("sci-dtn").toString())
        .env("GLOBUS_SDK_SERVICE_URL_AUTH", globus.baseUrl())
        .env("GLOBUS_SDK_SERVICE_URL_FLOWS", globus.baseUrl())
        .env("GLOBUS_SDK_SERVICE_URL_TRANSFER", globus.baseUrl())
        .env("GLOBUS_SDK_SERVICE_URL_COMPUTE", globus.baseUrl());
  }

  private JarRunner client() {
    return jar().env("GLOBUS_CLIENT_ID", "c0ffee00-1111-4222-8333-444455556666")
        .env("GLOBUS_CLIENT_SECRET", "not-a-real-secret-value");
  }

  private String[] start(String... more) {
    String[] base = {"--config", REPO.resolve("flowwatch.yaml").toString(), "--rundir", run1217.toString(),
        "--trigger-delay", "1"};
    String[] all = new String[base.length + more.length];
    System.arraycopy(base, 0, all, 0, base.length);
    System.arraycopy(more, 0, all, base.length, more.length);
    return all;
  }

  private static String resource(String path) throws IOException {
    try (var in = GlobusJarIT.class.getResourceAsStream("/" + path)) {
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
  }

  private void stubTokens() throws IOException {
    globus.stubFor(post("/v2/oauth2/token").withRequestBody(containing("flow_babd88e5"))
        .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
            .withBody(resource("jarit/token-frib-flow.json"))));
    globus.stubFor(post("/v2/oauth2/token").withRequestBody(containing("run_status"))
        .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
            .withBody(resource("jarit/token-flows-service.json"))));
  }

  private void stubStart(int status, String body) {
    globus.stubFor(post("/flows/" + FLOW + "/run").willReturn(aResponse().withStatus(status)
        .withHeader("Content-Type", "application/json").withBody(body)));
  }

  @Test
  void dryRunSendsNoRequestEvenWithCredentials() throws Exception {
    JarRunner.Result r = client().run(start("--dry-run")).assertNoStackTrace();
    assertEquals(0, r.code(), r.err());
    assertEquals(0, globus.getAllServeEvents().size(), "a dry run must not touch the network");
  }

  @Test
  void startsTheRunWithTheFlowScopedTokenAndPrintsItsIdAndPage() throws Exception {
    stubTokens();
    stubStart(201, resource("jarit/run-started.json"));

    JarRunner.Result r = client().run(start()).assertNoStackTrace();

    assertEquals(0, r.code(), r.err());
    assertEquals(RUN + "\nhttps://app.globus.org/runs/" + RUN + "\n", r.out());
    String basic = Base64.getEncoder().encodeToString(
        "c0ffee00-1111-4222-8333-444455556666:not-a-real-secret-value".getBytes());
    globus.verify(1, postRequestedFor(urlEqualTo("/v2/oauth2/token"))
        .withHeader("Authorization", equalTo("Basic " + basic))
        .withRequestBody(containing("grant_type=client_credentials"))
        // the flow scope with Transfer and both collections' data_access as dependencies
        .withRequestBody(containing("flow_babd88e5_d31d_48c7_b3a0_b765389b5c22_user%5B"
            + "urn%3Aglobus%3Aauth%3Ascope%3Atransfer.api.globus.org%3Aall%5B"
            + "*https%3A%2F%2Fauth.globus.org%2Fscopes%2F9656eff2-8105-445c-8501-154dfe1d88e5%2Fdata_access")));
    globus.verify(1, postRequestedFor(urlEqualTo("/flows/" + FLOW + "/run"))
        .withHeader("Authorization", equalTo("Bearer flow-token-for-start"))
        // A hand start carries its trigger token in the label, as an agent start does.
        .withRequestBody(matchingJsonPath("$.label",
            matching("FRIB-NERSC Analysis Pipeline Run 1217 \u00b7 fw-[0-9a-f]{8}")))
        .withRequestBody(matchingJsonPath("$.tags[0]", equalTo("Transfer")))
        .withRequestBody(matchingJsonPath("$.tags[1]", equalTo("Compute")))
        .withRequestBody(matchingJsonPath("$.tags[2]", equalTo("FRIB")))
        .withRequestBody(matchingJsonPath("$.tags[3]", matching("fw-[0-9a-f]{8}")))
        .withRequestBody(matchingJsonPath("$.body.rawdata.source.path",
            equalTo("/mnt/sci-dtn/e21062_2/rawdata/run1217"))));
    assertFalse(r.err().contains("not-a-real-secret-value"), "the secret must never be printed");
    assertFalse(r.err().contains("flow-token-for-start"), "tokens must never be printed");
  }

  @Test
  void waitFollowsTheRunWithTheFlowsServiceTokenUntilItSucceeds() throws Exception {
    stubTokens();
    stubStart(201, resource("jarit/run-started.json"));
    globus.stubFor(get("/runs/" + RUN).inScenario("run").whenScenarioStateIs(Scenario.STARTED)
        .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
            .withBody(resource("jarit/run-active.json")))
        .willSetStateTo("done"));
    globus.stubFor(get("/runs/" + RUN).inScenario("run").whenScenarioStateIs("done")
        .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
            .withBody(resource("jarit/run-succeeded.json"))));

    JarRunner.Result r = client().run(start("--wait", "--wait-interval=PT0.05S")).assertNoStackTrace();

    assertEquals(0, r.code(), r.err());
    assertTrue(r.err().contains("ACTIVE (ActionStarted)"), r.err());
    assertTrue(r.err().contains("SUCCEEDED (FlowSucceeded)"), r.err());
    globus.verify(2, getRequestedFor(urlPathEqualTo("/runs/" + RUN))
        .withHeader("Authorization", equalTo("Bearer flows-service-token")));
  }

  @Test
  void waitExitsEightWhenTheRunFails() throws Exception {
    stubTokens();
    stubStart(201, resource("jarit/run-started.json"));
    globus.stubFor(get("/runs/" + RUN).willReturn(aResponse().withStatus(200)
        .withHeader("Content-Type", "application/json").withBody(resource("jarit/run-failed.json"))));

    JarRunner.Result r = client().run(start("--wait", "--wait-interval=PT0.05S")).assertNoStackTrace();

    assertEquals(8, r.code(), r.err());
    assertTrue(r.err().contains("FAILED (ActionFailedException): Action failed: FitData"), r.err());
  }

  @Test
  void noCredentialsSaysHowToGetThem() throws Exception {
    JarRunner.Result r = jar().run(start()).assertNoStackTrace();
    assertEquals(5, r.code(), r.err());
    assertTrue(r.err().contains("GLOBUS_CLIENT_ID"), r.err());
    assertTrue(r.err().contains("flowwatch login"), r.err());
    assertEquals(0, globus.getAllServeEvents().size());
  }

  @Test
  void halfAClientIsReported() throws Exception {
    JarRunner.Result r = jar().env("GLOBUS_CLIENT_ID", "c0ffee00-1111-4222-8333-444455556666").run(start())
        .assertNoStackTrace();
    assertEquals(5, r.code(), r.err());
    assertTrue(r.err().contains("GLOBUS_CLIENT_ID is set but GLOBUS_CLIENT_SECRET is not"), r.err());
  }

  @Test
  void refusedClientSecretIsAnAuthFailure() throws Exception {
    globus.stubFor(post("/v2/oauth2/token").willReturn(aResponse().withStatus(401)
        .withHeader("Content-Type", "application/json").withBody(resource("globus/auth/error-invalid-client.json"))));
    JarRunner.Result r = client().run(start()).assertNoStackTrace();
    assertEquals(5, r.code(), r.err());
    assertTrue(r.err().contains("GLOBUS_CLIENT_SECRET"), r.err());
    assertFalse(r.err().contains("not-a-real-secret-value"), r.err());
  }

  @Test
  void missingFlowIsReportedAsNotFound() throws Exception {
    stubTokens();
    stubStart(404, resource("globus/flows/error-not-found.json"));
    JarRunner.Result r = client().run(start()).assertNoStackTrace();
    assertEquals(6, r.code(), r.err());
    assertTrue(r.err().contains("not visible to this identity") || r.err().contains("does not exist"), r.err());
  }

  @Test
  void inputTheServiceRejectsListsEachProblem() throws Exception {
    stubTokens();
    stubStart(422, resource("globus/flows/error-unprocessable.json"));
    JarRunner.Result r = client().run(start()).assertNoStackTrace();
    assertEquals(6, r.code(), r.err());
    assertTrue(r.err().contains("body.tags.0") || r.err().contains("body/tags/0"), r.err());
    assertTrue(r.err().contains("value is not a valid principal URN"), r.err());
  }

  @Test
  void flowInputErrorIsRejected() throws Exception {
    stubTokens();
    stubStart(400, resource("globus/flows/error-flow-input.json"));
    JarRunner.Result r = client().run(start()).assertNoStackTrace();
    assertEquals(6, r.code(), r.err());
  }

  @Test
  void notAStarterIsForbidden() throws Exception {
    stubTokens();
    stubStart(403, resource("globus/flows/error-forbidden.json"));
    JarRunner.Result r = client().run(start()).assertNoStackTrace();
    assertEquals(5, r.code(), r.err());
  }

  @Test
  void consentRequiredPrintsTheScopeAndTheCommandThatFixesIt() throws Exception {
    stubTokens();
    stubStart(403, resource("globus/flows/error-missing-scope.json").replace("0b1c2d3e-0000-4000-8000-000000000001",
        FLOW).replace("0b1c2d3e_0000_4000_8000_000000000001", FLOW.replace('-', '_')));
    JarRunner.Result r = client().run(start()).assertNoStackTrace();
    assertEquals(5, r.code(), r.err());
    assertTrue(r.err().contains("https://auth.globus.org/scopes/" + FLOW + "/flow_"), r.err());
  }

  @Test
  void lostAnswerToAStartSaysTheRunMayExist() throws Exception {
    stubTokens();
    globus.stubFor(post("/flows/" + FLOW + "/run").willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
    JarRunner.Result r = client().run(start()).assertNoStackTrace();
    assertEquals(7, r.code(), r.err());
    assertTrue(r.err().toLowerCase().contains("may"), r.err());
    globus.verify(1, postRequestedFor(urlEqualTo("/flows/" + FLOW + "/run")));
  }

  @Test
  void badGatewayOnStartIsNotRetried() throws Exception {
    stubTokens();
    stubStart(502, resource("globus/flows/error-service-unavailable.json"));
    JarRunner.Result r = client().run(start()).assertNoStackTrace();
    assertEquals(7, r.code(), r.err());
    globus.verify(1, postRequestedFor(urlEqualTo("/flows/" + FLOW + "/run")));
  }

  @Test
  void unreachableServiceIsUnavailable() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    JarRunner.Result r = client().env("GLOBUS_SDK_SERVICE_URL_AUTH", "http://127.0.0.1:" + closedPort)
        .run(start()).assertNoStackTrace();
    assertEquals(7, r.code(), r.err());
  }

  @Test
  void badServiceUrlOverrideIsAConfigError() throws Exception {
    JarRunner.Result r = client().env("GLOBUS_SDK_SERVICE_URL_FLOWS", "localhost:9").run(start()).assertNoStackTrace();
    assertEquals(3, r.code(), r.err());
    assertTrue(r.err().contains("GLOBUS_SDK_SERVICE_URL_FLOWS"), r.err());
  }

  @Test
  void missingFlowIdIsAConfigErrorBeforeAnyRequest() throws Exception {
    ConfigFiles.copyReferencedFiles(dir);
    Files.writeString(dir.resolve("flowwatch.yaml"), Files.readString(REPO.resolve("flowwatch.yaml"))
        .replace("  id: babd88e5-d31d-48c7-b3a0-b765389b5c22\n", ""));
    JarRunner.Result r = client().run("--rundir", run1217.toString(), "--trigger-delay", "1").assertNoStackTrace();
    assertEquals(3, r.code(), r.err());
    assertTrue(r.err().contains("flow.id is not set"), r.err());
    assertEquals(0, globus.getAllServeEvents().size());
  }

  @Test
  void loginSavesTokensInAnOwnerOnlyFileAndLaterStartsUseThem() throws Exception {
    Path config = dir.resolve("login.yaml");
    ConfigFiles.copyReferencedFiles(dir);
    Files.copy(REPO.resolve("flowwatch.yaml"), config);
    globus.stubFor(post("/v2/oauth2/token").withRequestBody(containing("grant_type=authorization_code"))
        .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
            .withBody(resource("jarit/token-login.json"))));

    JarRunner.Result r = jar().env("FLOWWATCH_NATIVE_CLIENT_ID", NATIVE_CLIENT).stdin("the-code-from-the-page\n")
        .run("--config", config.toString(), "login").assertNoStackTrace();

    assertEquals(0, r.code(), r.err());
    assertTrue(r.err().contains("/v2/oauth2/authorize?"), r.err());
    assertTrue(r.err().contains("code_challenge_method=S256"), r.err());
    globus.verify(1, postRequestedFor(urlEqualTo("/v2/oauth2/token"))
        .withRequestBody(containing("code=the-code-from-the-page"))
        .withRequestBody(containing("client_id=" + NATIVE_CLIENT))
        .withRequestBody(containing("code_verifier=")));
    Path tokens = dir.resolve("state/flowwatch/tokens.json");
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(tokens)));
    assertFalse(r.err().contains("user-flow-token"), "tokens must never be printed");

    stubStart(201, resource("jarit/run-started.json"));
    JarRunner.Result started = jar().env("FLOWWATCH_NATIVE_CLIENT_ID", NATIVE_CLIENT)
        .run("--config", config.toString(), "--rundir", run1217.toString(), "--trigger-delay", "1").assertNoStackTrace();
    assertEquals(0, started.code(), started.err());
    globus.verify(1, postRequestedFor(urlEqualTo("/flows/" + FLOW + "/run"))
        .withHeader("Authorization", equalTo("Bearer user-flow-token")));
  }

  @Test
  void loginWithoutANativeClientIdIsAConfigError() throws Exception {
    JarRunner.Result r = jar().run("--config", REPO.resolve("flowwatch.yaml").toString(), "login")
        .assertNoStackTrace();
    assertEquals(3, r.code(), r.err());
    assertTrue(r.err().contains("auth.native_client_id is not set"), r.err());
  }
}
