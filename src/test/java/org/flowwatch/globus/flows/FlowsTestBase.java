package org.flowwatch.globus.flows;

import static org.flowwatch.globus.Fixtures.COLLECTION_ID;
import static org.flowwatch.globus.Fixtures.FLOW_ID;
import static org.flowwatch.globus.Fixtures.NATIVE_CLIENT_ID;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.flowwatch.globus.Fixtures;
import org.flowwatch.globus.GlobusHttp;
import org.flowwatch.globus.MutableClock;
import org.flowwatch.globus.RetryPolicy;
import org.flowwatch.globus.TestServices;
import org.flowwatch.globus.auth.AuthClient;
import org.flowwatch.globus.auth.Scopes;
import org.flowwatch.globus.auth.TestTokenManagers;
import org.flowwatch.globus.auth.Token;
import org.flowwatch.globus.auth.TokenManager;
import org.flowwatch.globus.auth.TokenStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Flows client against WireMock, logged in as a user whose saved login holds a flow token and a
 * Flows-service token, with a sleeper that records instead of sleeping.
 */
abstract class FlowsTestBase {

  @RegisterExtension static WireMockExtension wm = TestServices.wireMock();

  static final Instant NOW = Instant.parse("2026-01-02T03:00:00Z");
  static final String FLOW_SCOPE = Scopes.flowUserScope(FLOW_ID);
  static final String START_SCOPE = Scopes.flowStartScope(FLOW_SCOPE, List.of(COLLECTION_ID));
  static final String USER_FLOW_TOKEN = "AgX-user-flow-token";
  static final String USER_FLOWS_TOKEN = "AgX-user-flows-service-token";
  static final String TOKEN_PATH = "/v2/oauth2/token";
  static final String RUN_PATH = "/runs/" + Fixtures.RUN_ID;
  static final String START_PATH = "/flows/" + FLOW_ID + "/run";

  @TempDir Path dir;

  final MutableClock clock = new MutableClock(NOW);
  final List<Duration> sleeps = new ArrayList<>();
  final List<GlobusHttp> opened = new ArrayList<>();
  AuthClient auth;
  TokenStore store;
  FlowsClient flows;

  @BeforeEach
  void setUpUserLogin() {
    store = new TokenStore(dir.resolve("tokens.json"));
    store.save(NATIVE_CLIENT_ID.toString(), List.of(
        new Token(FLOW_ID.toString(), USER_FLOW_TOKEN, "AgR-user-flow", NOW.plus(Duration.ofHours(10)), FLOW_SCOPE),
        new Token(Scopes.FLOWS_RESOURCE_SERVER, USER_FLOWS_TOKEN, "AgR-user-flows", NOW.plus(Duration.ofHours(10)),
            Scopes.FLOWS_RUN_STATUS_SCOPE)));
    GlobusHttp http = open(wm.baseUrl(), Duration.ofSeconds(5));
    auth = new AuthClient(http, clock, RetryPolicy.DEFAULT, sleeps::add);
    flows = new FlowsClient(http, userTokens(), RetryPolicy.DEFAULT, sleeps::add);
  }

  @AfterEach
  void closeClients() {
    opened.forEach(GlobusHttp::close);
  }

  GlobusHttp open(String baseUrl, Duration timeout) {
    GlobusHttp http = TestServices.http(baseUrl, timeout);
    opened.add(http);
    return http;
  }

  TokenManager userTokens() {
    return TestTokenManagers.forUser(NATIVE_CLIENT_ID.toString(), store, auth, clock);
  }

  /** A Flows client whose requests go to {@code baseUrl} (tokens still come from the saved login). */
  FlowsClient flowsAt(String baseUrl, Duration timeout) {
    return new FlowsClient(open(baseUrl, timeout), userTokens(), RetryPolicy.DEFAULT, sleeps::add);
  }

  /** A base URL where nothing listens: connecting fails before any byte is sent. */
  static String closedPortUrl() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return "http://127.0.0.1:" + socket.getLocalPort();
    }
  }
}
