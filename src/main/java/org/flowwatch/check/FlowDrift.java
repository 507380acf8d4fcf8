package org.flowwatch.check;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.flowwatch.config.Config;
import org.flowwatch.flow.Change;
import org.flowwatch.flow.Deployment;
import org.flowwatch.flow.FlowDeployer;
import org.flowwatch.flow.FlowFileException;
import org.flowwatch.flow.FlowLinter;
import org.flowwatch.flow.FlowSource;
import org.flowwatch.globus.GlobusException;
import org.flowwatch.globus.flows.FlowFields;
import org.flowwatch.globus.flows.FlowManagementClient;

/**
 * Whether the deployed flow is the one in the local files: the comparison deploy-flow makes before an
 * update ({@link FlowDeployer#plan}), read here as drift. A different definition or input schema fails
 * (runs would execute, or be validated against, something other than what the files say); other
 * metadata that differs (title, roles) is a warning.
 */
final class FlowDrift {
  /** The fields whose difference changes what runs do. */
  private static final Set<String> BEHAVIOUR = Set.of("definition", "input_schema");

  private final FlowManagementClient flows;

  FlowDrift(FlowManagementClient flows) {
    this.flows = Objects.requireNonNull(flows, "flows");
  }

  List<CheckResult> check(Config config, UUID flowId) {
    List<CheckResult> results = new ArrayList<>();
    Path definition = config.flow().definition();
    Path schema = config.flow().schema();
    FlowFields wanted;
    String files;
    try {
      if (definition != null) {
        FlowSource source = FlowSource.read(definition, schema, config.flow(), null);
        if (source.lint().hasErrors()) {
          results.add(CheckResult.fail("flow files", CheckResult.Failure.FLOW_FILES, definition + " or " + schema
              + ": " + source.lint().summary() + "; 'flowwatch lint' lists the findings"));
          return results;
        }
        wanted = source.fields();
        files = definition + " and " + schema;
      } else {
        JsonNode root = FlowLinter.readSchema(schema).root();
        wanted = new FlowFields(null, null, null, null, null, root, null, null, null, null, null);
        files = schema.toString();
        results.add(CheckResult.warn("flow definition", "flow.definition is not set, so only the input schema is"
            + " compared with the deployed flow; set it to the definition file to compare that too"));
      }
    } catch (FlowFileException e) {
      results.add(CheckResult.fail("flow files", CheckResult.Failure.FLOW_FILES, e.getMessage()));
      return results;
    }
    Deployment plan;
    try {
      plan = new FlowDeployer(flows).plan(flowId, wanted);
    } catch (GlobusException e) {
      results.add(CheckResult.fail("flow", e));
      return results;
    }
    String title = plan.flow() == null || plan.flow().title() == null ? "" : " '" + plan.flow().title() + "'";
    results.add(CheckResult.ok("flow", "flow " + flowId + title + " exists"));
    String configured = config.flow().scope();
    String deployedScope = plan.flow() == null ? null : plan.flow().globusAuthScope();
    if (configured != null && !configured.isBlank() && deployedScope != null && !deployedScope.equals(configured)) {
      // Every start asks Auth for flow.scope; a scope that is not the flow's gets a token the flow refuses.
      results.add(CheckResult.fail("flow scope", CheckResult.Failure.CONFIG, "flow.scope in " + config.file() + " is "
          + configured + " but flow " + flowId + " has the scope " + deployedScope + "; remove flow.scope (it is"
          + " derived from flow.id) or set it to the flow's globus_auth_scope"));
    }
    List<Change> drift = plan.changes().stream().filter(c -> BEHAVIOUR.contains(c.field())).toList();
    List<Change> metadata = plan.changes().stream().filter(c -> !BEHAVIOUR.contains(c.field())).toList();
    if (drift.isEmpty()) {
      results.add(CheckResult.ok("flow drift", "the deployed " + (definition != null ? "definition and " : "")
          + "input schema equal " + files));
    } else {
      results.add(CheckResult.fail("flow drift", CheckResult.Failure.FLOW_FILES, "the deployed flow differs from "
          + files + ": " + join(drift) + "; run 'flowwatch deploy-flow' to deploy the files (or bring the files in"
          + " line with the deployed flow)"));
    }
    if (!metadata.isEmpty()) {
      results.add(CheckResult.warn("flow metadata", "the deployed flow's " + join(metadata) + " differ from the"
          + " config; 'flowwatch deploy-flow' updates them"));
    }
    return results;
  }

  private static String join(List<Change> changes) {
    return changes.stream().map(Change::toString).collect(Collectors.joining("; "));
  }
}
