package org.flowwatch.cli;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.flowwatch.ledger.Ledger;
import org.flowwatch.ledger.RunRecord;
import org.flowwatch.ledger.RunState;
import org.flowwatch.ledger.Transition;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(
    name = "retry",
    mixinStandardHelpOptions = true,
    description = {
      "Put finished or invalid run directories back in the agent's queue (READY).",
      "A running agent picks them up at its next scan; the history is kept."
    })
final class RetryCommand implements Callable<Integer> {
  /** What retry may re-queue: a run that exists at the service is left alone. */
  private static final Set<RunState> RETRYABLE =
      EnumSet.of(RunState.SUCCEEDED, RunState.FAILED, RunState.ENDED, RunState.INVALID, RunState.HELD,
          RunState.LOST);

  private final Terminal terminal;

  @ParentCommand FlowwatchCommand parent;

  @Parameters(paramLabel = "KEY", arity = "0..*", description = "Run directories to retry.")
  List<String> keys = new ArrayList<>();

  @Option(names = "--state", paramLabel = "STATE", description = "Retry every run directory in this state"
      + " (repeatable): FAILED, SUCCEEDED, ENDED, INVALID, HELD, LOST.")
  List<RunState> states = new ArrayList<>();

  RetryCommand(Terminal terminal) {
    this.terminal = terminal;
  }

  @Override
  public Integer call() {
    if (keys.isEmpty() && states.isEmpty()) {
      throw new UsageException("name the run directories to retry, or give --state FAILED");
    }
    for (RunState s : states) {
      if (!RETRYABLE.contains(s)) {
        throw new UsageException("--state " + s + " cannot be retried; retry works on " + RETRYABLE);
      }
    }
    int problems = 0;
    try (Ledger ledger = StatusCommand.openExisting(terminal, parent.stateDirectory)) {
      Set<String> targets = new LinkedHashSet<>(keys);
      if (!states.isEmpty()) {
        ledger.inStates(EnumSet.copyOf(states)).forEach(r -> targets.add(r.key()));
      }
      for (String key : targets) {
        RunRecord row = ledger.get(key).orElse(null);
        if (row == null) {
          terminal.err().println("flowwatch: " + key + " is not in the ledger; 'flowwatch status' lists the keys");
          problems++;
        } else if (!RETRYABLE.contains(row.state())) {
          terminal.err().println("flowwatch: " + key + " is " + row.state() + "; only " + RETRYABLE
              + " can be retried");
          problems++;
        } else {
          ledger.apply(Transition.of(key, RunState.READY).from(row.state()).asRetry()
              .reason("flowwatch retry (was " + row.state() + ")"));
          terminal.out().println(key + ": " + row.state() + " -> READY");
        }
      }
      if (targets.isEmpty()) {
        terminal.err().println("nothing to retry: no run directory is in " + states);
      }
    }
    return problems == 0 ? ExitCode.OK : ExitCode.INVALID_INPUT;
  }
}
