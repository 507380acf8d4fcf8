package org.flowwatch.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.flowwatch.config.AuthConfig;
import org.flowwatch.config.Config;
import org.flowwatch.flow.FlowDefinition;
import org.flowwatch.flow.FlowLinter;
import org.flowwatch.flow.JsonDocument;
import org.flowwatch.flow.LintReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(
    name = "lint",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Check a flow definition and its input schema offline and list every finding (ids in README.md).",
      "Without arguments, checks flow.definition and flow.schema of the config.",
      "Exit code 4 when there is an error; warnings alone exit 0."
    })
final class LintCommand implements Callable<Integer> {
  private final Terminal terminal;

  @ParentCommand FlowwatchCommand parent;

  @Spec CommandSpec spec;

  @Parameters(index = "0", arity = "0..1", paramLabel = "DEFINITION",
      description = "The flow definition (default: flow.definition of the config).")
  Path definition;

  @Parameters(index = "1", arity = "0..1", paramLabel = "SCHEMA",
      description = "The flow's input schema (default: flow.schema of the config).")
  Path schema;

  @Option(names = "--json", description = "Print the findings as one JSON document.")
  boolean json;

  @Option(names = "--server-validate",
      description = "Also ask the Globus Flows service to validate the flow, when credentials are at hand.")
  boolean serverValidate;

  LintCommand(Terminal terminal) {
    this.terminal = terminal;
  }

  @Override
  public Integer call() {
    PrintWriter err = terminal.err();
    // With both files given the config matters only for the credentials of --server-validate.
    boolean needsConfig = definition == null || schema == null || serverValidate;
    Config cfg = needsConfig ? OptionalConfig.load(terminal, spec, parent.config) : null;
    Path def = definition != null ? definition : cfg == null ? null : cfg.flow().definition();
    Path sch = schema != null ? schema : cfg == null ? null : cfg.flow().schema();
    if (def == null && sch == null) {
      throw new UsageException("nothing to lint: give DEFINITION [SCHEMA], or a config (--config FILE) whose flow"
          + " section names the definition and schema");
    }
    if (def == null) {
      err.println("note: flow.definition is not set in " + cfg.file() + ", so only the input schema is checked");
    } else if (sch == null) {
      err.println("note: no input schema, so paths into the flow input are not checked");
    } else if (definition != null && schema == null) {
      // Said out loud: a definition of another flow would be checked against this flow's schema.
      err.println("note: checking against the input schema of " + cfg.file() + ": " + sch);
    }
    JsonDocument defDoc = def == null ? null : FlowDefinition.read(def);
    JsonDocument schemaDoc = sch == null ? null : FlowLinter.readSchema(sch);
    LintReport report = new FlowLinter().lint(defDoc, schemaDoc);
    ServerValidation service = null;
    if (serverValidate && defDoc != null) {
      service = ServerValidation.ask(terminal, cfg == null ? AuthConfig.DEFAULT : cfg.auth(), defDoc, schemaDoc);
    } else if (serverValidate) {
      err.println("note: --server-validate needs a flow definition; only the schema was checked");
    }
    if (json) {
      LintOutput.json(report, service, terminal.out());
    } else {
      LintOutput.text(report, service, terminal.out(), err);
    }
    return report.hasErrors() ? ExitCode.INVALID_INPUT : ExitCode.OK;
  }
}
