package org.flowwatch.cli;

import java.lang.reflect.Constructor;
import picocli.CommandLine;

/**
 * The one place that builds flowwatch's {@link CommandLine}: commands get the {@link Terminal} injected,
 * failures go through {@link FailureReporter}. Tests use the same factory as {@link Main}.
 */
public final class Cli {
  private Cli() {}

  public static CommandLine create(Terminal given) {
    // The one choke point for what reaches the terminal: see PrintableWriter.
    Terminal terminal = new Terminal(PrintableWriter.results(given.out()), PrintableWriter.messages(given.err()),
        given.in(), given.env());
    TerminalFactory factory = new TerminalFactory(terminal);
    CommandLine cl = new CommandLine(new FlowwatchCommand(terminal), factory);
    cl.addSubcommand("run-flow", new CommandLine(new RunFlowCommand(terminal), factory));
    cl.addSubcommand(new CommandLine(new CheckCommand(terminal), factory));
    cl.addSubcommand(new CommandLine(new RunControlCommands.Resume(terminal), factory));
    cl.addSubcommand(new CommandLine(new RunControlCommands.Cancel(terminal), factory));
    FailureReporter reporter = new FailureReporter(terminal.err());
    cl.setOut(terminal.out());
    cl.setErr(terminal.err());
    cl.setExecutionExceptionHandler(reporter);
    cl.setParameterExceptionHandler(reporter);
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    return cl;
  }

  public static int run(String[] args, Terminal terminal) {
    return create(terminal).execute(args);
  }

  /** Builds commands that take a {@link Terminal}, and everything else the picocli way. */
  private record TerminalFactory(Terminal terminal) implements CommandLine.IFactory {
    @Override
    public <K> K create(Class<K> cls) throws Exception {
      try {
        Constructor<K> c = cls.getDeclaredConstructor(Terminal.class);
        return c.newInstance(terminal);
      } catch (NoSuchMethodException e) {
        return CommandLine.defaultFactory().create(cls);
      }
    }
  }
}
