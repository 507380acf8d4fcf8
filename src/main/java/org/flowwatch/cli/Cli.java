package org.flowwatch.cli;

import java.lang.reflect.Constructor;
import java.util.List;
import java.util.Set;
import picocli.CommandLine;

/**
 * The one place that builds flowwatch's {@link CommandLine}: commands get the {@link Terminal} injected,
 * failures go through {@link FailureReporter}. Tests use the same factory as {@link Main}.
 */
public final class Cli {
  private Cli() {}

  /** The subcommands' names, in the order help lists them (CliTest holds this to what is registered). */
  static final List<String> SUBCOMMANDS = List.of("login", "status", "explain", "retry", "lint", "deploy-flow",
      "register-function", "endpoints", "run-flow", "check", "resume", "cancel");

  private static final Set<String> TOP_ONLY = Set.of("--rundir", "--watchdir");
  private static final Set<String> HELP = Set.of("-h", "--help");

  public static CommandLine create(Terminal given) {
    return create(given, true);
  }

  /**
   * @param withSubcommands false builds the top command alone: picocli reflects on every command it
   *     registers, which costs a dry run about a seventh of its time, and the agent and hand starts use
   *     none
   */
  private static CommandLine create(Terminal given, boolean withSubcommands) {
    // The one choke point for what reaches the terminal: see PrintableWriter.
    Terminal terminal = new Terminal(PrintableWriter.results(given.out()), PrintableWriter.messages(given.err()),
        given.in(), given.env());
    TerminalFactory factory = new TerminalFactory(terminal);
    CommandLine cl = new CommandLine(new FlowwatchCommand(terminal), factory);
    if (withSubcommands) {
      for (Class<?> command : List.of(LoginCommand.class, StatusCommand.class, ExplainCommand.class,
          RetryCommand.class, LintCommand.class, DeployFlowCommand.class, RegisterFunctionCommand.class,
          EndpointsCommand.class, RunFlowCommand.class, CheckCommand.class, RunControlCommands.Resume.class,
          RunControlCommands.Cancel.class)) {
        cl.addSubcommand(command);
      }
    }
    FailureReporter reporter = new FailureReporter(terminal.err());
    cl.setOut(terminal.out());
    cl.setErr(terminal.err());
    cl.setExecutionExceptionHandler(reporter);
    cl.setParameterExceptionHandler(reporter);
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    return cl;
  }

  public static int run(String[] args, Terminal terminal) {
    return create(terminal, !topCommandAlone(args)).execute(args);
  }

  /**
   * Whether these arguments can only mean the top command: they give --rundir or --watchdir (which no
   * subcommand takes), ask for no help (which lists the subcommands) and name no subcommand anywhere,
   * even as an option's value, so that picocli parses them as it would with every subcommand there.
   */
  static boolean topCommandAlone(String[] args) {
    boolean top = false;
    for (String arg : args) {
      String name = arg.startsWith("--") && arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
      // -h may come clustered with other short options (-hV); any such cluster is taken as help.
      boolean help = HELP.contains(name) || !arg.startsWith("--") && arg.startsWith("-") && arg.indexOf('h') > 0;
      if (help || SUBCOMMANDS.contains(name)) {
        return false;
      }
      top |= TOP_ONLY.contains(name);
    }
    return top;
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
