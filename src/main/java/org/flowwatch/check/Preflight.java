package org.flowwatch.check;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.flowwatch.config.CollectionConfig;
import org.flowwatch.config.ComputeConfig;
import org.flowwatch.config.Config;
import org.flowwatch.config.ConfigException;
import org.flowwatch.config.ConfigLoader;
import org.flowwatch.config.PrivateFiles;
import org.flowwatch.config.StateLayout;
import org.flowwatch.globus.GlobusException;
import org.flowwatch.globus.GlobusHttp;
import org.flowwatch.globus.ServiceUrls;
import org.flowwatch.globus.auth.AuthClient;
import org.flowwatch.globus.auth.Scopes;
import org.flowwatch.globus.auth.TokenManager;
import org.flowwatch.globus.compute.ComputeClient;
import org.flowwatch.globus.compute.EndpointStatus;
import org.flowwatch.globus.compute.FunctionInfo;
import org.flowwatch.globus.flows.FlowManagementClient;
import org.flowwatch.globus.flows.FlowTarget;
import org.flowwatch.globus.flows.FlowsClient;
import org.flowwatch.globus.transfer.DirectoryListing;
import org.flowwatch.globus.transfer.TransferClient;

/**
 * The pre-flight a facility runs before the beam: everything a run will need, tried now, one
 * {@link CheckResult} per thing. Nothing is started or changed at Globus; only the state directory may be
 * created (0700), as the agent would create it.
 *
 * <p>Order: the config; a token for each scope a run needs; the flow and its drift from the local files;
 * each Compute endpoint and function; each collection with a Globus root; the state directory. A check
 * whose token could not be had is not tried and says so (a warning: the token's failure already fails).
 */
public final class Preflight {

  /** A probe the size of a ledger page write: enough to show a full or read-only file system. */
  private static final int PROBE_BYTES = 4096;

  private final Map<String, String> env;
  private final Clock clock;

  public Preflight(Map<String, String> env, Clock clock) {
    this.env = Map.copyOf(env);
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * @param configFile the config to check
   * @param stateDirOption {@code --state-dir}, or null for the default
   */
  public List<CheckResult> run(Path configFile, Path stateDirOption) {
    List<CheckResult> results = new ArrayList<>();
    Config config = null;
    try {
      config = new ConfigLoader(env).load(configFile);
      results.add(CheckResult.ok("config", config.file() + " is valid"));
    } catch (ConfigException e) {
      results.add(CheckResult.fail("config", CheckResult.Failure.CONFIG, e.getMessage()));
    }
    if (config != null) {
      globus(config, results);
    }
    results.add(stateDirectory(stateDirOption));
    return List.copyOf(results);
  }

  private void globus(Config config, List<CheckResult> results) {
    ServiceUrls urls;
    try {
      urls = ServiceUrls.from(env);
    } catch (ConfigException e) {
      results.add(CheckResult.fail("service urls", CheckResult.Failure.CONFIG, e.getMessage()));
      return;
    }
    try (GlobusHttp http = new GlobusHttp(urls)) {
      TokenManager tokens;
      try {
        tokens = TokenManager.create(env, config.auth(), new AuthClient(http, clock), clock);
      } catch (GlobusException e) {
        results.add(CheckResult.fail("credentials", e));
        results.add(CheckResult.warn("globus", "nothing at Globus was checked: there are no credentials"));
        return;
      }
      FlowTarget target = null;
      try {
        target = FlowTarget.of(config);
      } catch (ConfigException e) {
        results.add(CheckResult.fail("flow", CheckResult.Failure.CONFIG, e.getMessage()));
      }
      Tokens got = tokens(config, target, tokens, results);
      if (target != null) {
        if (got.has(Scopes.FLOWS_VIEW_FLOWS_SCOPE)) {
          results.addAll(new FlowDrift(new FlowManagementClient(http, tokens)).check(config, target.flowId()));
        } else {
          results.add(notChecked("flow", "the flow", Scopes.FLOWS_VIEW_FLOWS_SCOPE));
        }
      }
      compute(config, http, tokens, got, results);
      collections(config, http, tokens, got, results);
    }
  }

  /** The tokens that were had, by scope. */
  private record Tokens(Map<String, Boolean> byScope) {
    boolean has(String scope) {
      return byScope.getOrDefault(scope, false);
    }
  }

  /** A token a run (or this check) needs: its line's name, whom it is for, the scope, and what it is for. */
  private record Need(String check, String resourceServer, String scope, String purpose) {}

  /** One line per scope a run (and this check) needs, each token fetched or refreshed now. */
  private Tokens tokens(Config config, FlowTarget target, TokenManager tokens, List<CheckResult> results) {
    List<Need> needed = new ArrayList<>();
    if (target != null) {
      needed.add(new Need("token flow start", Scopes.flowResourceServer(target.flowId()), target.startScope(),
          "start runs of flow " + target.flowId()));
    }
    needed.add(new Need("token run status", Scopes.FLOWS_RESOURCE_SERVER, FlowsClient.STATUS_SCOPE, "follow runs"));
    needed.add(new Need("token view flows", Scopes.FLOWS_RESOURCE_SERVER, Scopes.FLOWS_VIEW_FLOWS_SCOPE,
        "read the flow"));
    if (needsCompute(config)) {
      needed.add(new Need("token compute", Scopes.COMPUTE_RESOURCE_SERVER, Scopes.COMPUTE_SCOPE,
          "read Compute endpoints and functions"));
    }
    if (!listable(config).isEmpty()) {
      needed.add(new Need("token transfer", Scopes.TRANSFER_RESOURCE_SERVER, transferScope(config),
          "list collections"));
    }
    Map<String, Boolean> had = new LinkedHashMap<>();
    for (Need n : needed) {
      try {
        tokens.accessToken(n.resourceServer(), n.scope());
        had.put(n.scope(), true);
        results.add(CheckResult.ok(n.check(), "a token to " + n.purpose() + " (" + n.scope() + ")"));
      } catch (GlobusException e) {
        had.put(n.scope(), false);
        results.add(CheckResult.fail(n.check(), e));
      }
    }
    return new Tokens(had);
  }

  private static boolean needsCompute(Config config) {
    return !config.compute().endpoints().isEmpty()
        || config.compute().functions().values().stream().anyMatch(f -> f.id() != null);
  }

  private void compute(Config config, GlobusHttp http, TokenManager tokens, Tokens got, List<CheckResult> results) {
    ComputeConfig compute = config.compute();
    boolean usable = got.has(Scopes.COMPUTE_SCOPE);
    ComputeClient client = usable ? new ComputeClient(http, tokens) : null;
    for (ComputeConfig.Endpoint e : compute.endpoints().values()) {
      String check = "endpoint " + e.key();
      if (!usable) {
        results.add(notChecked(check, "endpoint " + e.id(), Scopes.COMPUTE_SCOPE));
        continue;
      }
      try {
        EndpointStatus s = client.endpointStatus(e.id());
        String named = "endpoint " + e.id() + (s.name() == null ? "" : " (" + s.name() + ")")
            + (s.hostname() == null ? "" : " on " + s.hostname());
        results.add(s.online() ? CheckResult.ok(check, named + " is online")
            : CheckResult.fail(check, CheckResult.Failure.OFFLINE, named + " is " + s.status() + "; start it on its"
                + " host ('globus-compute-endpoint start " + (e.name() != null ? e.name() : s.name() != null
                    ? s.name() : "NAME") + "'); runs that reach it wait until it is online"));
      } catch (GlobusException ex) {
        results.add(CheckResult.fail(check, ex));
      }
    }
    for (ComputeConfig.Function f : compute.functions().values()) {
      String check = "function " + f.key();
      if (f.id() == null) {
        results.add(CheckResult.warn(check, "compute.functions." + f.key() + " has no id yet; run 'flowwatch"
            + " register-function --save' to register " + f.function() + " and write its id"));
      } else if (!usable) {
        results.add(notChecked(check, "function " + f.id(), Scopes.COMPUTE_SCOPE));
      } else {
        results.add(function(client, f, check));
      }
    }
  }

  private static CheckResult function(ComputeClient client, ComputeConfig.Function f, String check) {
    try {
      FunctionInfo info = client.function(f.id());
      if (info.name() != null && !info.name().equals(f.function())) {
        return CheckResult.warn(check, "function " + f.id() + " is registered as '" + info.name() + "' but the config"
            + " names '" + f.function() + "'; run 'flowwatch register-function --save' if the id is stale");
      }
      return CheckResult.ok(check, "function " + f.id() + (info.name() == null ? "" : " (" + info.name() + ")")
          + " is known to the Compute service");
    } catch (GlobusException e) {
      return CheckResult.fail(check, e);
    }
  }

  /** Collections with a Globus root: the ones runs read or write through Transfer. */
  private static List<CollectionConfig> listable(Config config) {
    return config.collections().values().stream().filter(c -> c.globusRoot() != null).toList();
  }

  private static String transferScope(Config config) {
    List<UUID> mapped = config.collections().values().stream().filter(CollectionConfig::dataAccess)
        .map(CollectionConfig::id).distinct().toList();
    return TransferClient.scopeFor(mapped);
  }

  private void collections(Config config, GlobusHttp http, TokenManager tokens, Tokens got,
      List<CheckResult> results) {
    List<CollectionConfig> listable = listable(config);
    if (listable.isEmpty()) {
      return;
    }
    String scope = transferScope(config);
    TransferClient transfer = got.has(scope) ? new TransferClient(http, tokens, scope) : null;
    for (CollectionConfig c : listable) {
      String check = "collection " + c.name();
      if (transfer == null) {
        results.add(notChecked(check, "collection " + c.id(), Scopes.TRANSFER_SCOPE));
        continue;
      }
      try {
        DirectoryListing listing = transfer.list(c.id(), c.globusRoot());
        results.add(CheckResult.ok(check, "collection " + c.id() + " lists " + c.globusRoot()
            + (listing.absolutePath() == null ? "" : " (" + listing.absolutePath() + ")") + ": " + listing.total()
            + (listing.total() == 1 ? " entry" : " entries")));
      } catch (GlobusException e) {
        results.add(CheckResult.fail(check, e));
      }
    }
  }

  private CheckResult stateDirectory(Path option) {
    Path dir = StateLayout.of(option, env).directory();
    try {
      PrivateFiles.directory(dir);
      PrivateFiles.probe(dir, PROBE_BYTES);
      return CheckResult.ok("state directory", dir + " is writable");
    } catch (IOException | SecurityException e) {
      return CheckResult.fail("state directory", CheckResult.Failure.STATE_DIRECTORY, dir + " cannot be written ("
          + why(e) + "); the ledger lives there. Make it writable by this user, or give --state-dir DIR");
    }
  }

  /** The file system's refusal in words. */
  private static String why(Exception e) {
    if (e instanceof java.nio.file.AccessDeniedException || e instanceof SecurityException) {
      return "permission denied";
    }
    if (e instanceof java.nio.file.NotDirectoryException || e instanceof java.nio.file.FileAlreadyExistsException) {
      return "a file is in the way";
    }
    if (e instanceof java.nio.file.FileSystemException fs && fs.getReason() != null) {
      return fs.getReason();
    }
    return e.getMessage() == null ? "an I/O error" : e.getMessage();
  }

  private static CheckResult notChecked(String check, String what, String scope) {
    return CheckResult.warn(check, what + " was not checked: there is no token for " + scope + " (see above)");
  }
}
