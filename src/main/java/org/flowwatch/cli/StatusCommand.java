package org.flowwatch.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.Callable;
import org.flowwatch.config.StateLayout;
import org.flowwatch.globus.flows.FlowRun;
import org.flowwatch.ledger.HistoryEntry;
import org.flowwatch.ledger.Ledger;
import org.flowwatch.ledger.RunRecord;
import org.flowwatch.ledger.RunState;
import org.flowwatch.text.Printable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description = {
      "List run directories from the agent's ledger: state, flow run id, age, last error.",
      "Says on stderr whether an agent is running on this ledger (pid, host, since, last scan and poll)",
      "or when it last ran. Name run directories (KEY) to see each one's full history;",
      "--ignored lists what the agent saw in the watch directory and ignored, with why."
    })
final class StatusCommand implements Callable<Integer> {
  private final Terminal terminal;

  @ParentCommand FlowwatchCommand parent;

  @Parameters(paramLabel = "KEY", arity = "0..*", description = "Run directories to show in detail.")
  List<String> keys = new ArrayList<>();

  @Option(names = "--state", paramLabel = "STATE", description = "Only these states (repeatable): ${COMPLETION-CANDIDATES}.")
  List<RunState> states = new ArrayList<>();

  @Option(names = "--json", description = "Print JSON instead of a table.")
  boolean json;

  @Option(names = "--ignored", description = "List the names the agent saw in the watch directory and did not"
      + " take as run directories, with the reason (pattern, link out of the root, unreadable, not a directory).")
  boolean ignored;

  StatusCommand(Terminal terminal) {
    this.terminal = terminal;
  }

  static Ledger openExisting(Terminal terminal, Path stateDirOption) {
    Path file = StateLayout.of(stateDirOption, terminal.env()).ledger();
    if (!Files.exists(file)) {
      throw new UsageException("there is no ledger at " + file + ": no agent has run with this state directory"
          + " (pass the agent's --state-dir)");
    }
    return Ledger.open(file, null, Clock.systemUTC());
  }

  @Override
  public Integer call() {
    StateLayout state = StateLayout.of(parent.stateDirectory, terminal.env());
    if (ignored) {
      if (!keys.isEmpty() || !states.isEmpty()) {
        throw new UsageException("--ignored lists names that are not in the ledger; it takes no KEY or --state");
      }
      return IgnoredOutput.print(terminal, state, json);
    }
    try (Ledger ledger = openExisting(terminal, parent.stateDirectory)) {
      terminal.err().println(AgentPresence.describe(state, Instant.now()));
      if (!keys.isEmpty()) {
        return details(ledger);
      }
      List<RunRecord> rows = states.isEmpty() ? ledger.all() : ledger.inStates(EnumSet.copyOf(states));
      if (json) {
        ArrayNode arr = new ObjectMapper().createArrayNode();
        rows.forEach(r -> arr.add(toJson(r)));
        terminal.out().println(arr.toPrettyString());
      } else {
        table(rows);
      }
      return ExitCode.OK;
    }
  }

  private void table(List<RunRecord> rows) {
    PrintWriter out = terminal.out();
    String format = "%-20s %-9s %-36s %6s %3s  %s%n";
    out.printf(format, "KEY", "STATE", "RUN ID", "AGE", "TRY", "LAST ERROR");
    Instant now = Instant.now();
    for (RunRecord r : rows) {
      out.printf(format, Printable.line(r.key()), r.state(), r.runId() == null ? "-" : r.runId(), age(r.updatedAt(), now),
          r.attempts(), r.lastError() == null ? "" : Printable.line(firstLine(r.lastError(), 100)));
    }
    terminal.err().println(rows.size() + " run director" + (rows.size() == 1 ? "y" : "ies"));
  }

  private int details(Ledger ledger) {
    PrintWriter out = terminal.out();
    ArrayNode arr = new ObjectMapper().createArrayNode();
    int missing = 0;
    for (String key : keys) {
      var row = ledger.get(key);
      if (row.isEmpty()) {
        terminal.err().println("flowwatch: " + key + " is not in the ledger");
        missing++;
        continue;
      }
      RunRecord r = row.get();
      ObjectNode node = toJson(r);
      ArrayNode history = node.putArray("history");
      for (HistoryEntry h : ledger.history(key)) {
        history.addObject().put("at", h.at().toString()).put("from", h.from() == null ? null : h.from().name())
            .put("to", h.to().name()).put("run_id", h.runId()).put("reason", h.reason());
      }
      if (json) {
        arr.add(node);
        continue;
      }
      out.println(Printable.line(r.key()) + ": " + r.state() + (r.runId() == null ? "" : " run " + r.runId()
          + " (" + FlowRun.page(r.runId()) + ")") + ", attempts " + r.attempts());
      if (r.lastError() != null) {
        out.println("  last error: " + Printable.line(r.lastError()));
      }
      for (HistoryEntry h : ledger.history(key)) {
        out.println("  " + h.at() + "  " + (h.from() == null ? "" : h.from() + " -> ") + h.to()
            + (h.reason() == null ? "" : "  " + Printable.line(h.reason())));
      }
    }
    if (json) {
      out.println(arr.toPrettyString());
    }
    return missing == 0 ? ExitCode.OK : ExitCode.INVALID_INPUT;
  }

  private static ObjectNode toJson(RunRecord r) {
    ObjectNode n = new ObjectMapper().createObjectNode();
    n.put("key", r.key()).put("state", r.state().name()).put("run_id", r.runId()).put("attempts", r.attempts())
        .put("token", r.token()).put("last_error", r.lastError()).put("created_at", r.createdAt().toString())
        .put("updated_at", r.updatedAt().toString());
    return n;
  }

  static String age(Instant then, Instant now) {
    Duration d = Duration.between(then, now);
    if (d.toDays() > 0) {
      return d.toDays() + "d";
    }
    if (d.toHours() > 0) {
      return d.toHours() + "h";
    }
    return d.toMinutes() > 0 ? d.toMinutes() + "m" : d.toSeconds() + "s";
  }

  private static String firstLine(String text, int max) {
    String line = text.lines().findFirst().orElse("");
    return line.length() > max ? line.substring(0, max - 1) + "\u2026" : line;
  }
}
