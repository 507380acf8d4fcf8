package org.flowwatch.cli;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.Callable;
import org.flowwatch.config.Config;
import org.flowwatch.config.ConfigLoader;
import org.flowwatch.globus.GlobusException;
import org.flowwatch.ledger.Ledger;
import org.flowwatch.watch.RunControl;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code flowwatch resume KEY...} and {@code flowwatch cancel KEY...}: a person's hand on a run the agent
 * follows, sent through the Flows service and written into the ledger's history.
 */
final class RunControlCommands {
  private RunControlCommands() {}

  @Command(
      name = "resume",
      mixinStandardHelpOptions = true,
      description = {
        "Resume INACTIVE flow runs of the ledger, once the consent (or session)",
        "they wait for was granted. Each run's new state is recorded in the",
        "ledger's history ('flowwatch status KEY' shows it)."
      })
  static final class Resume implements Callable<Integer> {
    private final Terminal terminal;

    @ParentCommand FlowwatchCommand parent;

    @Parameters(paramLabel = "KEY", arity = "1..*", description = "Run directories (ledger keys) to resume.")
    List<String> keys = new ArrayList<>();

    Resume(Terminal terminal) {
      this.terminal = terminal;
    }

    @Override
    public Integer call() {
      return run(terminal, parent, RunControl.Action.RESUME, keys);
    }
  }

  @Command(
      name = "cancel",
      mixinStandardHelpOptions = true,
      description = {
        "Cancel ACTIVE or INACTIVE flow runs of the ledger at the Flows service.",
        "Each is recorded ENDED (\"cancelled by hand\"); 'flowwatch retry KEY'",
        "queues the directory again."
      })
  static final class Cancel implements Callable<Integer> {
    private final Terminal terminal;

    @ParentCommand FlowwatchCommand parent;

    @Parameters(paramLabel = "KEY", arity = "1..*", description = "Run directories (ledger keys) to cancel.")
    List<String> keys = new ArrayList<>();

    Cancel(Terminal terminal) {
      this.terminal = terminal;
    }

    @Override
    public Integer call() {
      return run(terminal, parent, RunControl.Action.CANCEL, keys);
    }
  }

  /**
   * Every key in turn, so one refusal does not stop the others.
   *
   * @return 0 when every key was done, else the exit code of the first that was not
   */
  private static int run(Terminal terminal, FlowwatchCommand parent, RunControl.Action action, List<String> keys) {
    Config cfg = new ConfigLoader(terminal.env()).load(parent.config);
    if (cfg.engine() == org.flowwatch.config.Engine.LOCAL) {
      // A local run never waits for consent, and it executes in the agent's process: a cancel would have to
      // reach that process, which this command cannot yet do.
      throw new UsageException(action.name().toLowerCase(java.util.Locale.ROOT) + " acts on runs at the Globus"
          + " service, and " + cfg.file() + " runs them locally (engine: local); stop the agent to stop its"
          + " local runs (they resume where they were when it starts again)");
    }
    int code = ExitCode.OK;
    try (Ledger ledger = StatusCommand.openExisting(terminal, parent.stateDirectory);
        GlobusSession globus = GlobusSession.open(terminal)) {
      RunControl control = new RunControl(ledger, globus.flowRuns(cfg));
      for (String key : new LinkedHashSet<>(keys)) {
        int result;
        try {
          RunControl.Result r = control.apply(action, key);
          (r.sent() ? terminal.out() : terminal.err()).println(r.sent() ? r.message() : "flowwatch: " + r.message());
          result = r.sent() ? ExitCode.OK : ExitCode.INVALID_INPUT;
        } catch (GlobusException e) {
          terminal.err().println("flowwatch: " + key + ": " + e.getMessage());
          result = GlobusFailures.exitCodeOf(e);
        }
        if (code == ExitCode.OK) {
          code = result;
        }
      }
    }
    terminal.out().flush();
    terminal.err().flush();
    return code;
  }
}
