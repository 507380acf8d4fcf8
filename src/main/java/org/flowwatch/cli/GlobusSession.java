package org.flowwatch.cli;

import java.time.Clock;
import org.flowwatch.config.AuthConfig;
import org.flowwatch.config.Config;
import org.flowwatch.globus.auth.AuthClient;
import org.flowwatch.globus.compute.ComputeClient;
import org.flowwatch.globus.flows.FlowManagementClient;
import org.flowwatch.globus.flows.FlowRuns;
import org.flowwatch.globus.flows.FlowTarget;
import org.flowwatch.globus.flows.FlowsClient;
import org.flowwatch.globus.flows.GlobusFlowRuns;
import org.flowwatch.globus.GlobusHttp;
import org.flowwatch.globus.ServiceUrls;
import org.flowwatch.globus.auth.TokenManager;
import org.flowwatch.globus.auth.AuthClient;
import org.flowwatch.globus.auth.TokenManager;
import org.flowwatch.globus.compute.ComputeClient;
import org.flowwatch.globus.flows.FlowManagementClient;
import org.flowwatch.globus.flows.FlowsClient;


/**
 * The Globus clients of one command, built from the environment and the config. Only commands that talk
 * to Globus open one, which is what keeps {@code --dry-run} free of network calls and credentials.
 */
final class GlobusSession implements Session {
  private final GlobusHttp http;
  private final AuthClient auth;
  private final Terminal terminal;

  private GlobusSession(GlobusHttp http, Terminal terminal) {
    this.http = http;
    this.auth = new AuthClient(http, Clock.systemUTC());
    this.terminal = terminal;
  }

  static GlobusSession open(Terminal terminal) {
    return new GlobusSession(new GlobusHttp(ServiceUrls.from(terminal.env())), terminal);
  }

  @Override
  public FlowRuns flowRuns(Config config) {
    FlowTarget target = FlowTarget.of(config);
    return new GlobusFlowRuns(flows(terminal, config), target);
  }

  @Override
  public ComputeClient compute(Config config) {
    return config.compute().endpoints().isEmpty() ? null : compute(terminal, config);
  }

  @Override
  public void abandonCalls() {
    http.cancelAll();
  }

  AuthClient auth() {
    return auth;
  }

  /** Credentials are checked here, so a command fails before doing any work when they are missing. */
  FlowsClient flows(Terminal terminal, Config config) {
    TokenManager tokens = TokenManager.create(terminal.env(), config.auth(), auth, Clock.systemUTC());
    return new FlowsClient(http, tokens);
  }

  /**
   * The Flows client for flow documents (deploy-flow, lint --server-validate). Credentials are checked
   * here without any request: a MissingCredentialsException means there are none at hand.
   */
  FlowManagementClient flowManagement(Terminal terminal, AuthConfig authConfig) {
    TokenManager tokens = TokenManager.create(terminal.env(), authConfig, auth, Clock.systemUTC());
    return new FlowManagementClient(http, tokens);
  }

  /** The Globus Compute client; credentials are checked here, as for {@link #flows}. */
  ComputeClient compute(Terminal terminal, Config config) {
    TokenManager tokens = TokenManager.create(terminal.env(), config.auth(), auth, Clock.systemUTC());
    return new ComputeClient(http, tokens);
  }

  @Override
  public void close() {
    http.close();
  }
}
