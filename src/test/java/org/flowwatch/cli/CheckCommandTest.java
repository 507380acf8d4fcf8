package org.flowwatch.cli;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.flowwatch.cli.DeployFixture.FLOW_ID;
import static org.flowwatch.globus.Fixtures.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import java.io.BufferedReader;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.flowwatch.globus.TestServices;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code flowwatch check} through the CLI factory against WireMock Auth, Flows, Compute and Transfer, with
 * bodies shaped as reference/globus-rest.md shows them: a healthy set-up, then each failure on its own.
 */
class CheckCommandTest {
  private static final String COLLECTION = "9656eff2-8105-445c-8501-154dfe1d88e5";
  private static final String ENDPOINT = "ff16dcd1-0632-4fdd-8b0c-d239d4f1b889";
  private static final String FUNCTION = "42e3e64f-4d1e-4681-9a3e-cc9533d7933e";
  private static final String LS = "/v0.10/operation/endpoint/" + COLLECTION + "/ls";

  @RegisterExtension static WireMockExtension globus = TestServices.wireMock();

  @TempDir Path dir;
  private Path config;
  private Path state;
  private StringWriter out;
  private StringWriter err;
  private final Map<String, String> env = new HashMap<>();

  @BeforeEach
  void setUp() throws Exception {
    DeployFixture.copyInto(dir);
    Files.createDirectories(dir.resolve("data"));
    Files.writeString(dir.resolve("pipeline.py"), "def fit(run):\n    return run\n");
    config = Files.writeString(dir.resolve("check.yaml"), """
        collections:
          dtn: {id: %s, local_root: %s, globus_root: /data/}
        flow:
          id: %s
          definition: flows/copy.json
          schema: schemas/copy.json
          title: Copy and report
          label: "copy {run.name}"
          flow_starters: [urn:globus:groups:id:66666666-7777-8888-9999-000000000000]
        compute:
          endpoints:
            fit: {id: %s, name: frib-fit-mpi}
          functions:
            fit: {source: pipeline.py, function: fit, endpoint: fit, id: %s}
        run_directory:
          pattern: 'run(?<number>\\d+)'
        input:
          source: {id: "{collections.dtn.id}", path: "{run.globus_path}"}
        """.formatted(COLLECTION, dir.resolve("data"), FLOW_ID, ENDPOINT, FUNCTION));
    state = dir.resolve("state");
    for (String service : List.of("AUTH", "FLOWS", "COMPUTE", "TRANSFER")) {
      env.put("GLOBUS_SDK_SERVICE_URL_" + service, globus.baseUrl());
    }
    env.put("GLOBUS_CLIENT_ID", DeployFixture.CLIENT_ID);
    env.put("GLOBUS_CLIENT_SECRET", DeployFixture.CLIENT_SECRET);
    env.put("HOME", dir.toString());
    healthy();
  }

  /** Every service answers as it should: the tokens, the flow as in the files, online, known, listable. */
  private void healthy() {
    token("flow_0b1c2d3e", json("control/token-flow-start.json"));
    token("run_status", json("auth/token-client-credentials-flows.json"));
    token("view_flows", json("auth/token-client-credentials-view-flows.json"));
    token("facd7ccc", json("check/token-compute.json"));
    // The start scope carries Transfer as a dependency too; only a top-level Transfer scope starts "scope=urn".
    token("scope=urn", json("check/token-transfer.json"));
    deployedFlow(DeployFixture.read(dir.resolve("flows/copy.json")));
    globus.stubFor(get("/v2/endpoints/" + ENDPOINT).willReturn(okJson(json("compute/endpoint-fit.json"))));
    globus.stubFor(get("/v2/endpoints/" + ENDPOINT + "/status").willReturn(okJson(json("compute/status-online.json"))));
    globus.stubFor(get("/v2/functions/" + FUNCTION).withHeader("Authorization", equalTo("Bearer AgX-client-compute-token"))
        .willReturn(okJson(json("check/function-fit.json"))));
    globus.stubFor(get(urlPathEqualTo(LS)).withQueryParam("path", equalTo("/data/"))
        .withHeader("Authorization", equalTo("Bearer AgX-client-transfer-token"))
        .willReturn(okJson(json("check/ls-data.json"))));
  }

  private static void token(String scopePart, String body) {
    globus.stubFor(post("/v2/oauth2/token").withRequestBody(containing(scopePart)).willReturn(okJson(body)));
  }

  private void deployedFlow(JsonNode definition) {
    globus.stubFor(get("/flows/" + FLOW_ID).willReturn(okJson(DeployFixture.flowDocument("Copy and report",
        definition, DeployFixture.read(dir.resolve("schemas/copy.json"))))));
  }

  private static MappingBuilder failing(MappingBuilder request, int status, String body) {
    return request.willReturn(aResponse().withStatus(status).withHeader("Content-Type", "application/json")
        .withBody(body));
  }

  private int check(String... more) {
    out = new StringWriter();
    err = new StringWriter();
    List<String> args = new ArrayList<>(List.of("--state-dir", state.toString(), "check", "--config",
        config.toString()));
    args.addAll(List.of(more));
    return Cli.run(args.toArray(String[]::new), new Terminal(new PrintWriter(out, true), new PrintWriter(err, true),
        new BufferedReader(new StringReader("")), env));
  }

  /** The line of one check, e.g. "fail  endpoint fit  ...". */
  private String line(String check) {
    return out.toString().lines().filter(l -> l.substring(6).startsWith(check + " ")).findFirst()
        .orElseThrow(() -> new AssertionError("no line for " + check + " in:\n" + out));
  }

  private void assertLine(String verdict, String check, String saying) {
    String line = line(check);
    assertTrue(line.startsWith(verdict + " "), line);
    assertTrue(line.contains(saying), line);
  }

  @Test
  void aHealthySetUpPassesEveryCheckAndExitsZero() {
    int code = check();

    assertEquals(0, code, out + "\n" + err);
    List<String> lines = out.toString().lines().toList();
    assertTrue(lines.stream().allMatch(l -> l.startsWith("ok ")), out.toString());
    for (String check : List.of("config", "token flow start", "token run status", "token view flows",
        "token compute", "token transfer", "flow", "flow drift", "endpoint fit", "function fit", "collection dtn",
        "state directory")) {
      line(check);
    }
    assertLine("ok", "collection dtn", "lists /data/ (/mnt/sci-dtn/data/): 3 entries");
    assertLine("ok", "endpoint fit", "frib-fit-mpi) on login23.chn.perlmutter.nersc.gov is online");
    assertTrue(Files.isDirectory(state), "the state directory is made as the agent would make it");
    assertEquals(0, globus.findAll(putRequestedFor(anyUrl())).size(), "a check changes nothing");
    assertEquals(0, globus.findAll(postRequestedFor(urlPathEqualTo("/flows/" + FLOW_ID + "/run"))).size());
  }

  @Test
  void aDeployedDefinitionThatDiffersIsDriftNamingTheState() {
    ObjectNode changed = (ObjectNode) DeployFixture.read(dir.resolve("flows/copy.json"));
    ((ObjectNode) changed.path("States").path("Copy")).put("WaitTime", 60);
    deployedFlow(changed);

    int code = check();

    assertEquals(ExitCode.INVALID_INPUT, code, out.toString());
    assertLine("fail", "flow drift", "definition: states changed Copy");
    assertLine("fail", "flow drift", "flowwatch deploy-flow");
    assertLine("ok", "flow", "exists");
  }

  @Test
  void aConfiguredFlowScopeThatIsNotTheFlowsIsAConfigFailure() throws Exception {
    String wrong = "https://auth.globus.org/scopes/11111111-2222-4333-8444-555555555555/flow_1111_user";
    Files.writeString(config, Files.readString(config).replace("  title: Copy and report\n",
        "  title: Copy and report\n  scope: " + wrong + "\n"));
    token("flow_1111_user", json("control/token-flow-start.json"));

    int code = check();

    assertEquals(ExitCode.CONFIG, code, out.toString());
    assertLine("fail", "flow scope", "flow.scope in " + config + " is " + wrong);
    assertLine("fail", "flow scope", "flow_0b1c2d3e_0000_4000_8000_000000000001_user");
  }

  @Test
  void anOfflineEndpointFailsWithTheUnavailableCode() {
    globus.stubFor(get("/v2/endpoints/" + ENDPOINT + "/status").willReturn(okJson(json("compute/status-offline.json"))));

    int code = check();

    assertEquals(ExitCode.UNAVAILABLE, code, out.toString());
    assertLine("fail", "endpoint fit", "is offline");
    assertLine("fail", "endpoint fit", "globus-compute-endpoint start frib-fit-mpi");
  }

  @Test
  void aFunctionIdTheServiceDoesNotKnowIsRejected() {
    globus.stubFor(failing(get("/v2/functions/" + FUNCTION), 404, json("check/error-function-not-found.json")));

    int code = check();

    assertEquals(ExitCode.REJECTED, code, out.toString());
    assertLine("fail", "function fit", "FUNCTION_NOT_FOUND");
    assertLine("fail", "function fit", "flowwatch register-function --save");
  }

  @Test
  void aCollectionWhoseStorageRefusesTheListingFailsAtOnceWithoutRetries() {
    globus.stubFor(failing(get(urlPathEqualTo(LS)), 502, json("check/error-ls-login-failed.json")));

    int code = check();

    assertEquals(ExitCode.REJECTED, code, out.toString());
    assertLine("fail", "collection dtn", "ExternalError.DirListingFailed.LoginFailed");
    assertLine("fail", "collection dtn", "identity mapping");
    assertEquals(1, globus.findAll(getRequestedFor(urlPathEqualTo(LS))).size(), "not transient: not retried");
  }

  @Test
  void aCollectionThisIdentityMayNotReadIsAnAuthFailure() {
    globus.stubFor(failing(get(urlPathEqualTo(LS)), 403, json("check/error-ls-permission-denied.json")));

    int code = check();

    assertEquals(ExitCode.AUTH, code, out.toString());
    assertLine("fail", "collection dtn", "EndpointPermissionDenied");
    assertLine("fail", "collection dtn", "clients.auth.globus.org");
  }

  @Test
  void refusedCredentialsFailTheTokensAndLeaveTheServicesUnchecked() {
    globus.resetAll();
    globus.stubFor(failing(post("/v2/oauth2/token"), 401, json("auth/error-invalid-client.json")));

    int code = check();

    assertEquals(ExitCode.AUTH, code, out.toString());
    assertLine("fail", "token flow start", "invalid_client");
    assertLine("fail", "token compute", "invalid_client");
    assertLine("warn", "endpoint fit", "not checked");
    assertLine("warn", "collection dtn", "not checked");
    assertLine("ok", "state directory", "is writable");
    assertEquals(0, globus.findAll(getRequestedFor(anyUrl())).size(), "no service is asked without a token");
  }

  @Test
  void noCredentialsAtAllIsOneFailure() {
    env.remove("GLOBUS_CLIENT_SECRET");

    int code = check();

    assertEquals(ExitCode.AUTH, code, out.toString());
    assertLine("fail", "credentials", "GLOBUS_CLIENT_SECRET");
    assertLine("warn", "globus", "nothing at Globus was checked");
  }

  @Test
  void anInvalidConfigFailsFirstAndTheStateDirectoryIsStillChecked() throws Exception {
    Files.writeString(config, Files.readString(config).replace("pattern:", "patern:"));

    int code = check();

    assertEquals(ExitCode.CONFIG, code, out.toString());
    assertLine("fail", "config", "patern");
    assertLine("ok", "state directory", "is writable");
  }

  @Test
  void aStateDirectoryThatCannotBeMadeFailsWithTheConfigCode() throws Exception {
    Files.writeString(state, "a file where the directory should be");

    int code = check();

    assertEquals(ExitCode.CONFIG, code, out.toString());
    assertLine("fail", "state directory", "a file is in the way");
  }

  @Test
  void jsonListsEveryCheckWithItsStatusAndTheExitCode() throws Exception {
    globus.stubFor(get("/v2/endpoints/" + ENDPOINT + "/status").willReturn(okJson(json("compute/status-offline.json"))));

    int code = check("--json");

    JsonNode doc = DeployFixture.MAPPER.readTree(out.toString());
    assertEquals(ExitCode.UNAVAILABLE, code);
    assertFalse(doc.get("ok").asBoolean());
    assertEquals(ExitCode.UNAVAILABLE, doc.get("exit_code").asInt());
    Map<String, String> statuses = new HashMap<>();
    doc.get("checks").forEach(c -> statuses.put(c.get("check").asText(), c.get("status").asText()));
    assertEquals("fail", statuses.get("endpoint fit"));
    assertEquals("ok", statuses.get("collection dtn"));
    assertEquals("ok", statuses.get("config"));
    assertTrue(doc.get("checks").get(0).get("message").asText().contains("is valid"));
  }

  @Test
  void theTopLevelHelpListsCheckResumeAndCancel() {
    out = new StringWriter();
    int code = Cli.run(new String[] {"--help"}, new Terminal(new PrintWriter(out, true),
        new PrintWriter(new StringWriter(), true), new BufferedReader(new StringReader("")), env));

    assertEquals(0, code);
    for (String command : List.of("check", "resume", "cancel")) {
      assertTrue(out.toString().lines().anyMatch(l -> l.trim().startsWith(command + " ")), out.toString());
    }
  }
}
