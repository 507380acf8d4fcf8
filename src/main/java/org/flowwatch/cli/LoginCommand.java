package org.flowwatch.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.flowwatch.config.Config;
import org.flowwatch.config.ConfigException;
import org.flowwatch.config.ConfigLoader;
import org.flowwatch.globus.flows.FlowTarget;
import org.flowwatch.globus.auth.NativeLogin;
import org.flowwatch.globus.auth.Scopes;
import org.flowwatch.globus.auth.TokenManager;
import org.flowwatch.globus.auth.TokenStore;
import org.flowwatch.globus.auth.NativeLogin;
import org.flowwatch.globus.auth.Scopes;
import org.flowwatch.globus.auth.TokenManager;
import org.flowwatch.globus.auth.TokenStore;
import org.flowwatch.watch.RunLauncher;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(
    name = "login",
    mixinStandardHelpOptions = true,
    description = {
      "Sign in to Globus with a browser and save refresh tokens for later commands.",
      "Prints a URL; sign in there, consent, and paste the code the page shows.",
      "Not needed when GLOBUS_CLIENT_ID and GLOBUS_CLIENT_SECRET are set."
    })
final class LoginCommand implements Callable<Integer> {
  private final Terminal terminal;

  @ParentCommand FlowwatchCommand parent;

  @Option(names = "--scope", paramLabel = "SCOPE",
      description = "Also request this scope (for example the one a consent error printed). Repeatable.")
  List<String> extraScopes = new ArrayList<>();

  LoginCommand(Terminal terminal) {
    this.terminal = terminal;
  }

  @Override
  public Integer call() throws IOException {
    PrintWriter err = terminal.err();
    Config cfg = new ConfigLoader(terminal.env()).load(parent.config);
    if (terminal.env().get(TokenManager.CLIENT_ID_VARIABLE) != null
        && terminal.env().get(TokenManager.CLIENT_SECRET_VARIABLE) != null) {
      err.println("note: GLOBUS_CLIENT_ID and GLOBUS_CLIENT_SECRET are set, so other commands use that client"
          + " and ignore this login");
    }
    UUID clientId = cfg.auth().nativeClientId();
    if (clientId == null) {
      throw new ConfigException(cfg.file() + ": auth.native_client_id is not set; register a native app at"
          + " developers.globus.org and put its client id there (or use GLOBUS_CLIENT_ID/GLOBUS_CLIENT_SECRET)");
    }
    try (GlobusSession globus = GlobusSession.open(terminal)) {
      TokenStore store = TokenStore.forConfig(terminal.env(), cfg.auth());
      NativeLogin login = new NativeLogin(globus.auth(), store, clientId);
      err.println("Open this URL in a browser, sign in, and paste the authorization code it shows:");
      err.println();
      err.println("  " + login.authorizeUrl(scopes(cfg)));
      err.println();
      err.print("Code: ");
      err.flush();
      String code = terminal.in().readLine();
      if (code == null || code.isBlank()) {
        throw new UsageException("no authorization code was entered; run 'flowwatch login' again");
      }
      Set<String> saved = login.complete(code.trim());
      err.println("Logged in. Tokens for " + String.join(", ", saved) + " saved to " + store.file()
          + " (readable by you only).");
      return ExitCode.OK;
    }
  }

  /**
   * The flow's start scope (with its dependencies), the Flows service, and anything asked for. The Flows
   * {@code all} scope covers run_status for --wait and view_flows and manage_flows for deploy-flow, so one
   * login serves every command.
   */
  private List<String> scopes(Config cfg) {
    List<String> scopes = new ArrayList<>();
    if (cfg.flow().id() != null) {
      scopes.add(FlowTarget.of(cfg).startScope());
    }
    scopes.add(Scopes.FLOWS_ALL_SCOPE);
    if (!cfg.compute().endpoints().isEmpty() || !cfg.compute().functions().isEmpty()) {
      scopes.add(Scopes.COMPUTE_SCOPE); // register-function, endpoints status
    }
    for (String s : extraScopes) {
      if (!scopes.contains(s)) {
        scopes.add(s);
      }
    }
    return scopes;
  }
}
