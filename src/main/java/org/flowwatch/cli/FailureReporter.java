package org.flowwatch.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;
import org.flowwatch.config.ConfigException;
import org.flowwatch.config.Suggestions;
import org.flowwatch.flow.FlowFileException;
import org.flowwatch.input.SchemaException;
import org.flowwatch.input.TemplateException;
import org.flowwatch.ledger.LedgerException;
import org.flowwatch.run.RunDirectoryException;
import org.flowwatch.watch.AgentLockedException;
import org.flowwatch.watch.ConfigProblem;
import org.flowwatch.watch.WatchDirectoryException;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParseResult;

/**
 * Turns every failure into one clear message on stderr and a documented exit code. A stack trace is
 * printed only with {@code --stacktrace}, or for an internal error nobody anticipated.
 */
final class FailureReporter
    implements CommandLine.IExecutionExceptionHandler, CommandLine.IParameterExceptionHandler {
  private final PrintWriter err;

  FailureReporter(PrintWriter err) {
    this.err = err;
  }

  @Override
  public int handleParseException(CommandLine.ParameterException ex, String[] args) {
    err.println("flowwatch: " + ex.getMessage());
    suggestionFor(ex).ifPresent(err::println);
    String command = ex.getCommandLine().getCommandName();
    String help = "flowwatch".equals(command) ? "flowwatch --help" : "flowwatch " + command + " --help";
    err.println("Run '" + help + "' for usage.");
    return ExitCode.USAGE;
  }

  @Override
  public int handleExecutionException(Exception ex, CommandLine cl, ParseResult parseResult) {
    if (ex instanceof CommandLine.ParameterException pe) {
      return handleParseException(pe, parseResult.originalArgs().toArray(String[]::new));
    }
    int code = exitCodeOf(ex);
    if (code == ExitCode.INTERNAL) {
      err.println("flowwatch: internal error: " + ex);
      err.println("This is a bug in flowwatch. Please report it with the output of the same command run with"
          + " --stacktrace.");
    } else {
      err.println("flowwatch: " + ex.getMessage());
    }
    if (wantsStackTrace(parseResult)) {
      ex.printStackTrace(err);
    }
    err.flush();
    return code;
  }

  static int exitCodeOf(Throwable ex) {
    if (ex instanceof AgentLockedException) {
      return ExitCode.LOCKED;
    }
    // A template that cannot be rendered fails every run alike: a config error, as the agent treats it.
    if (ex instanceof ConfigException || ex instanceof SchemaException || ex instanceof LedgerException
        || ex instanceof FlowFileException || ex instanceof TemplateException || ex instanceof ConfigProblem) {
      return ExitCode.CONFIG;
    }
    if (ex instanceof RunDirectoryException || ex instanceof FlowInputException) {
      return ExitCode.INVALID_INPUT;
    }
    if (ex instanceof UsageException || ex instanceof WatchDirectoryException) {
      return ExitCode.USAGE;
    }
    return GlobusFailures.exitCodeOf(ex);
  }

  /**
   * The closest option or subcommand to the first argument picocli could not match, in the line format
   * picocli itself prints, but chosen by {@link Suggestions} so that a misspelt option and a misspelt
   * config key are corrected the same way (picocli's own guess is a two-letter prefix match for options
   * and a cosine similarity for subcommands).
   */
  static Optional<String> suggestionFor(CommandLine.ParameterException ex) {
    if (!(ex instanceof CommandLine.UnmatchedArgumentException unmatched)
        || unmatched.getUnmatched().isEmpty()) {
      return Optional.empty();
    }
    String arg = unmatched.getUnmatched().get(0);
    CommandSpec spec = ex.getCommandLine().getCommandSpec();
    if (arg.startsWith("-")) {
      String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
      List<String> options = spec.options().stream().filter(o -> !o.hidden())
          .flatMap(o -> List.of(o.names()).stream()).toList();
      return Suggestions.closest(name, options).map(o -> "Possible solutions: " + o);
    }
    return Suggestions.closest(arg, List.copyOf(spec.subcommands().keySet()))
        .map(c -> "Did you mean: " + spec.qualifiedName() + " " + c + "?");
  }

  private static boolean wantsStackTrace(ParseResult result) {
    for (ParseResult pr = result; pr != null; pr = pr.subcommand()) {
      if (pr.hasMatchedOption("--stacktrace")) {
        return true;
      }
    }
    return false;
  }
}
