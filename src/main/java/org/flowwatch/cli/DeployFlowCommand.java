package org.flowwatch.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.flowwatch.config.AuthConfig;
import org.flowwatch.config.Config;
import org.flowwatch.config.ConfigException;
import org.flowwatch.config.ConfigLoader;
import org.flowwatch.config.FlowIdEditor;
import org.flowwatch.flow.Deployment;
import org.flowwatch.flow.FlowDeployer;
import org.flowwatch.flow.FlowSource;
import org.flowwatch.globus.MissingCredentialsException;
import org.flowwatch.globus.flows.FlowManagementClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(
    name = "deploy-flow",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Create or update the flow from its definition and input schema, never duplicating it.",
      "With a known flow id (--flowid or flow.id), only the fields that differ from the deployed flow are sent.",
      "Without one, a new flow is created. The files are linted first; an error stops the deploy (exit 4)."
    })
final class DeployFlowCommand implements Callable<Integer> {
  private final Terminal terminal;

  @ParentCommand FlowwatchCommand parent;

  @Spec CommandSpec spec;

  @Option(names = "--definition", paramLabel = "FILE", description = "The flow definition (default: flow.definition).")
  Path definition;

  @Option(names = "--schema", paramLabel = "FILE", description = "The input schema (default: flow.schema).")
  Path schema;

  @Option(names = "--title", paramLabel = "TITLE", description = "The flow's title (default: flow.title).")
  String title;

  @Option(names = "--flowid", paramLabel = "ID", description = "The deployed flow to update (default: flow.id).")
  UUID flowId;

  @Option(names = "--create",
      description = "Create a new flow even though this identity owns one with the same title, or when the known"
          + " flow is gone (404); a known flow that still exists is updated.")
  boolean create;

  @Option(names = "--save", description = "Write the flow's id into flow.id of the config file, changing nothing"
      + " else (the default with a config file).")
  boolean save;

  @Option(names = "--no-save", description = "Do not write a created flow's id into the config file.")
  boolean noSave;

  @Option(names = "--dry-run",
      description = "Lint and show what would change against the deployed flow (when credentials are at hand);"
          + " write nothing.")
  boolean dryRun;

  @Option(names = "--server-validate",
      description = "With --dry-run: also ask the Globus Flows service to validate the flow.")
  boolean serverValidate;

  DeployFlowCommand(Terminal terminal) {
    this.terminal = terminal;
  }

  @Override
  public Integer call() {
    PrintWriter err = terminal.err();
    if (serverValidate && !dryRun) {
      throw new UsageException("--server-validate goes with --dry-run; a real deploy is validated by Globus anyway");
    }
    Config cfg = definition == null ? new ConfigLoader(terminal.env()).load(parent.config)
        : OptionalConfig.load(terminal, spec, parent.config);
    if (save && noSave) {
      throw new UsageException("--save and --no-save contradict each other: give one of them");
    }
    if (save && cfg == null) {
      throw new UsageException("--save writes the flow id into the config file, but there is none: pass --config FILE");
    }
    Path def = definition != null ? definition : cfg.flow().definition();
    if (def == null) {
      throw new ConfigException(cfg.file() + ": flow.definition is not set, so there is nothing to deploy; set it to"
          + " the flow definition file (for example flows/pipeline.json) or pass --definition FILE");
    }
    Path sch = schema != null ? schema : cfg == null ? null : cfg.flow().schema();
    UUID id = flowId != null ? flowId : cfg == null ? null : cfg.flow().id();
    FlowSource source = FlowSource.read(def, sch, cfg == null ? null : cfg.flow(), title);
    source.lint().lines().forEach(err::println);
    if (source.lint().hasErrors()) {
      err.println("not deploying " + source.definitionFile() + ": " + source.lint().summary()
          + " (see README.md, \"Flow lint findings\"; 'flowwatch lint' lists them again)");
      return ExitCode.INVALID_INPUT;
    }
    if (id == null && source.title() == null) {
      throw new UsageException("a new flow needs a title: set flow.title in the config or pass --title TITLE");
    }
    AuthConfig auth = cfg == null ? AuthConfig.DEFAULT : cfg.auth();
    if (dryRun) {
      return dryRun(source, id, auth);
    }
    try (GlobusSession globus = GlobusSession.open(terminal)) {
      FlowManagementClient flows = globus.flowManagement(terminal, auth);
      if (id == null && !create) {
        refuseASecondFlow(flows.ownedWithTitle(source.title()), source.title());
      }
      Deployment d = new FlowDeployer(flows).deploy(id, source.fields(), create);
      DeploymentOutput.print(d, source.title(), terminal);
      recordId(cfg, d.flow().id(), d.outcome() == Deployment.Outcome.CREATED);
      return ExitCode.OK;
    }
  }

  /** Lint (done), then compare and validate with Globus if credentials are at hand; never write. */
  private int dryRun(FlowSource source, UUID id, AuthConfig auth) {
    PrintWriter err = terminal.err();
    if (id == null) {
      DeploymentOutput.print(new Deployment(Deployment.Outcome.WOULD_CREATE, null, List.of(), List.of()),
          source.title(), terminal);
    }
    try (GlobusSession globus = GlobusSession.open(terminal)) {
      FlowManagementClient flows = globus.flowManagement(terminal, auth);
      if (id != null) {
        DeploymentOutput.print(new FlowDeployer(flows).plan(id, source.fields()), source.title(), terminal);
      }
      if (serverValidate) {
        ServerValidation service = ServerValidation.ask(terminal, auth, source.definitionDocument(),
            source.schemaDocument());
        if (service != null) {
          LintOutput.service(service, terminal.out(), err);
        }
      }
    } catch (MissingCredentialsException e) {
      // Without credentials a dry run stays offline: the lint above is all it can do.
      err.println("note: no Globus credentials, so nothing was compared with the deployed flow: " + e.reason());
    }
    if (save) {
      err.println("note: dry run, so flow.id is not saved");
    }
    err.println("dry run: nothing was written");
    return ExitCode.OK;
  }

  /** A create that would give this identity a second flow of the same title, which is never meant. */
  private static void refuseASecondFlow(List<UUID> same, String title) {
    if (same.isEmpty()) {
      return;
    }
    throw new UsageException("this identity already owns " + (same.size() == 1 ? "a flow" : same.size() + " flows")
        + " titled '" + title + "' (" + same.stream().map(UUID::toString).collect(Collectors.joining(", "))
        + "), so no second one was created: deploy to it with --flowid ID (or flow.id in the config), or pass"
        + " --create to make another flow anyway");
  }

  /**
   * Writes the id into the config with --save, and a created flow's id by default (not with --no-save);
   * otherwise reminds when the config does not know the id.
   */
  private void recordId(Config cfg, UUID id, boolean created) {
    PrintWriter err = terminal.err();
    if (save || (created && cfg != null && !noSave)) {
      FlowIdEditor.Outcome outcome = new FlowIdEditor(terminal.env()).save(cfg.file(), id);
      err.println(outcome == FlowIdEditor.Outcome.UNCHANGED ? "flow.id in " + cfg.file() + " is already " + id
          : "saved flow.id " + id + " in " + cfg.file());
    } else if (cfg != null && !id.equals(cfg.flow().id())) {
      err.println("note: flow.id in " + cfg.file() + " is not " + id + "; put it there (deploy-flow --save does),"
          + " or the next deploy-flow creates another flow");
    } else if (cfg == null && flowId == null) {
      err.println("note: pass --flowid " + id + " next time, or the next deploy-flow creates another flow");
    }
    err.flush();
  }
}
