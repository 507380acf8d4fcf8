package org.flowwatch.cli;

import java.io.PrintWriter;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.flowwatch.config.ComputeConfig;
import org.flowwatch.config.Config;
import org.flowwatch.config.ConfigFileEditor;
import org.flowwatch.config.ConfigLoader;
import org.flowwatch.globus.compute.FunctionCode;
import org.flowwatch.globus.compute.FunctionRegistrar;
import org.flowwatch.globus.compute.RegisteredFunctions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(
    name = "register-function",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Register Python functions with Globus Compute, again only when their source changed.",
      "Prints one line per function on stdout: NAME FUNCTION_ID registered|unchanged."
    })
final class RegisterFunctionCommand implements Callable<Integer> {
  private final Terminal terminal;

  @ParentCommand FlowwatchCommand parent;

  @Parameters(paramLabel = "FUNCTION", arity = "0..*",
      description = "A compute.functions key of the config, or FILE:NAME (a Python file and the top-level"
          + " function in it). Default: every function of the config.")
  List<String> names = new ArrayList<>();

  @Option(names = "--save",
      description = "Write the function ids into the config file (compute.functions.KEY.id, and vars entries"
          + " holding the old id), changing nothing else in it.")
  boolean save;

  @Option(names = "--force", description = "Register even when the source is unchanged.")
  boolean force;

  @Option(names = "--python-version", paramLabel = "VERSION", defaultValue = "3.10",
      description = "Python version recorded with the function (default: ${DEFAULT-VALUE}, the oldest the"
          + " shipped functions support).")
  String pythonVersion;

  @Option(names = "--print-function-code", hidden = true,
      description = "Print the function_code that would be sent, exactly, and send nothing.")
  boolean printFunctionCode;

  RegisterFunctionCommand(Terminal terminal) {
    this.terminal = terminal;
  }

  @Override
  public Integer call() {
    if (printFunctionCode && names.size() == 1 && !names.get(0).isEmpty() && names.get(0).contains(":")) {
      // No config needed to show what FILE:NAME serialises to.
      return print(FunctionTarget.resolve(names, ComputeConfig.NONE).get(0).read());
    }
    Config cfg = new ConfigLoader(terminal.env()).load(parent.config);
    List<FunctionTarget> targets = FunctionTarget.resolve(names, cfg.compute());
    if (printFunctionCode) {
      if (targets.size() != 1) {
        throw new UsageException("--print-function-code shows one function; name exactly one");
      }
      return print(targets.get(0).read());
    }
    for (FunctionTarget t : targets) {
      if (save && t.key() == null) {
        throw new UsageException("--save writes ids into compute.functions entries, and " + t.label()
            + " matches none; add an entry with its source and function to " + cfg.file());
      }
    }
    List<FunctionCode> codes = targets.stream().map(FunctionTarget::read).toList();
    List<Saved> results = new ArrayList<>();
    try (GlobusSession globus = GlobusSession.open(terminal)) {
      FunctionRegistrar registrar = new FunctionRegistrar(globus.compute(terminal, cfg),
          RegisteredFunctions.forEnvironment(terminal.env()), Clock.systemUTC());
      for (int i = 0; i < targets.size(); i++) {
        FunctionTarget t = targets.get(i);
        FunctionRegistrar.Result r = registrar.register(t.source(), codes.get(i), t.configuredId(), force,
            "flowwatch: " + t.function() + " from " + t.source().getFileName(), pythonVersion);
        report(t, r);
        results.add(new Saved(t, r));
      }
    }
    if (save) {
      save(cfg, results);
    } else {
      hintSave(cfg, results);
    }
    return ExitCode.OK;
  }

  private record Saved(FunctionTarget target, FunctionRegistrar.Result result) {}

  private int print(FunctionCode code) {
    terminal.out().print(code.packed());
    terminal.out().flush();
    return ExitCode.OK;
  }

  private void report(FunctionTarget t, FunctionRegistrar.Result r) {
    boolean registered = r.outcome() == FunctionRegistrar.Outcome.REGISTERED;
    terminal.out().println(t.label() + " " + r.functionId() + " " + (registered ? "registered" : "unchanged"));
    terminal.out().flush();
    PrintWriter err = terminal.err();
    if (registered) {
      err.println(t.label() + ": registered " + t.function() + " from " + t.source()
          + (r.previousId() == null ? "" : " (before: " + r.previousId() + ")"));
    } else {
      err.println(t.label() + ": unchanged since it was registered as " + r.functionId());
    }
    err.flush();
  }

  private void hintSave(Config cfg, List<Saved> results) {
    for (Saved s : results) {
      UUID id = s.result().functionId();
      if (s.target().key() != null && !id.equals(s.target().configuredId())) {
        terminal.err().println("note: " + cfg.file().getFileName() + " still names "
            + (s.target().configuredId() == null ? "no id" : s.target().configuredId()) + " for compute.functions."
            + s.target().key() + "; run again with --save to write " + id + " there");
      }
    }
    terminal.err().flush();
  }

  private void save(Config cfg, List<Saved> results) {
    ConfigFileEditor editor = ConfigFileEditor.open(cfg.file());
    List<ConfigFileEditor.Edit> edits = new ArrayList<>();
    for (Saved s : results) {
      UUID id = s.result().functionId();
      if (id.equals(s.target().configuredId())) {
        continue;
      }
      edits.add(editor.set(List.of("compute", "functions", s.target().key(), "id"), id.toString()));
      // FRIB's input template reads the function ids from vars: a stale copy there would keep runs on the
      // old code, so the entries that held the old id move with it.
      if (s.result().previousId() != null) {
        edits.addAll(editor.replaceValues("vars", s.result().previousId().toString(), id.toString()));
      }
    }
    if (edits.isEmpty()) {
      terminal.err().println(cfg.file().getFileName() + " already names these ids; nothing to save");
    } else {
      editor.save();
      for (ConfigFileEditor.Edit e : edits) {
        terminal.err().println("saved " + cfg.file().getFileName() + ":" + e.line() + " " + e.key() + ": "
            + e.after() + (e.before() == null ? " (added)" : " (was " + e.before() + ")"));
      }
    }
    terminal.err().flush();
  }
}
