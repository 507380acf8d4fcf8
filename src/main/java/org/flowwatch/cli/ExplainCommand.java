package org.flowwatch.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.Callable;
import org.flowwatch.config.Config;
import org.flowwatch.config.ConfigLoader;
import org.flowwatch.config.StateLayout;
import org.flowwatch.ledger.Ledger;
import org.flowwatch.text.Printable;
import org.flowwatch.watch.Explainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(
    name = "explain",
    mixinStandardHelpOptions = true,
    description = {
      "Say why a run directory is where it is: its ledger row and history, the readiness evidence",
      "(sentinel, rsync temporary files, settle), its input document's validation, and what the agent",
      "will do next and when. Changes nothing and calls no service."
    })
final class ExplainCommand implements Callable<Integer> {
  private final Terminal terminal;

  @ParentCommand FlowwatchCommand parent;

  @Parameters(paramLabel = "DIR", description = "The run directory, inside the watch directory.")
  Path directory;

  ExplainCommand(Terminal terminal) {
    this.terminal = terminal;
  }

  @Override
  public Integer call() {
    if (directory.toString().isBlank()) {
      throw new UsageException("explain needs a directory, and the one given is empty (an unset shell variable?)");
    }
    Config cfg = new ConfigLoader(terminal.env()).load(parent.config);
    StateLayout state = StateLayout.of(parent.stateDirectory, terminal.env());
    Explainer explainer = new Explainer(cfg, terminal.env(), Clock.systemUTC());
    terminal.out().println(AgentPresence.describe(state, Instant.now()));
    if (!Files.exists(state.ledger())) {
      explainer.explain(directory, null).forEach(l -> terminal.out().println(Printable.line(l)));
      return ExitCode.OK;
    }
    try (Ledger ledger = Ledger.open(state.ledger(), null, Clock.systemUTC())) {
      explainer.explain(directory, ledger).forEach(l -> terminal.out().println(Printable.line(l)));
    }
    return ExitCode.OK;
  }
}
