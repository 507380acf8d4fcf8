package org.flowwatch.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.flowwatch.config.ComputeConfig;
import org.flowwatch.config.Config;
import org.flowwatch.config.ConfigException;
import org.flowwatch.config.ConfigLoader;
import org.flowwatch.globus.NotFoundException;
import org.flowwatch.globus.compute.ComputeClient;
import org.flowwatch.globus.compute.EndpointStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(
    name = "endpoints",
    mixinStandardHelpOptions = true,
    description = "The Globus Compute endpoints of the config.",
    subcommands = {EndpointsCommand.Status.class})
final class EndpointsCommand implements Callable<Integer> {
  @ParentCommand FlowwatchCommand parent;

  @Override
  public Integer call() {
    throw new UsageException("name what to do with the endpoints: flowwatch endpoints status");
  }

  @Command(
      name = "status",
      mixinStandardHelpOptions = true,
      description = {
        "Show each Compute endpoint's name, host and whether it is online.",
        "Exit 0 when all are online, 7 when one is offline, 6 when one does not exist."
      })
  static final class Status implements Callable<Integer> {
    private final Terminal terminal;

    @ParentCommand EndpointsCommand endpoints;

    @Parameters(paramLabel = "ENDPOINT", arity = "0..*",
        description = "compute.endpoints keys to check (default: all of them).")
    List<String> keys = new ArrayList<>();

    Status(Terminal terminal) {
      this.terminal = terminal;
    }

    @Override
    public Integer call() {
      Config cfg = new ConfigLoader(terminal.env()).load(endpoints.parent.config);
      List<ComputeConfig.Endpoint> selected = select(cfg);
      List<String[]> rows = new ArrayList<>();
      rows.add(new String[] {"ENDPOINT", "NAME", "HOST", "STATUS", "ID"});
      int code = ExitCode.OK;
      PrintWriter err = terminal.err();
      try (GlobusSession globus = GlobusSession.open(terminal)) {
        ComputeClient compute = globus.compute(terminal, cfg);
        for (ComputeConfig.Endpoint e : selected) {
          try {
            EndpointStatus s = compute.endpointStatus(e.id());
            rows.add(new String[] {e.key(), orDash(s.name()), orDash(s.hostname()), s.status(), e.id().toString()});
            if (e.name() != null && s.name() != null && !e.name().equals(s.name())) {
              err.println("note: compute.endpoints." + e.key() + ".name is '" + e.name() + "' but the service calls"
                  + " endpoint " + e.id() + " '" + s.name() + "'");
            }
            if (!s.online() && code == ExitCode.OK) {
              code = ExitCode.UNAVAILABLE;
            }
          } catch (NotFoundException notFound) {
            rows.add(new String[] {e.key(), orDash(e.name()), "-", "not found", e.id().toString()});
            err.println(e.key() + ": " + notFound.getMessage());
            code = ExitCode.REJECTED;
          }
        }
      }
      print(rows);
      err.flush();
      return code;
    }

    private List<ComputeConfig.Endpoint> select(Config cfg) {
      if (cfg.compute().endpoints().isEmpty()) {
        throw new ConfigException(cfg.file() + ": there are no compute.endpoints to check; list each endpoint's"
            + " id (and name) under compute.endpoints (README.md, Configuration)");
      }
      if (keys.isEmpty()) {
        return List.copyOf(cfg.compute().endpoints().values());
      }
      List<ComputeConfig.Endpoint> out = new ArrayList<>();
      for (String key : keys) {
        ComputeConfig.Endpoint e = cfg.compute().endpoints().get(key);
        if (e == null) {
          throw new UsageException("no endpoint '" + key + "' under compute.endpoints; known: "
              + String.join(", ", cfg.compute().endpoints().keySet()));
        }
        out.add(e);
      }
      return out;
    }

    private void print(List<String[]> rows) {
      int[] width = new int[rows.get(0).length];
      for (String[] row : rows) {
        for (int i = 0; i < row.length; i++) {
          width[i] = Math.max(width[i], row[i].length());
        }
      }
      for (String[] row : rows) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < row.length; i++) {
          line.append(i == row.length - 1 ? row[i] : String.format("%-" + (width[i] + 2) + "s", row[i]));
        }
        terminal.out().println(line.toString().stripTrailing());
      }
      terminal.out().flush();
    }

    private static String orDash(String s) {
      return s == null || s.isBlank() ? "-" : s;
    }
  }
}
