package org.flowwatch.flow;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import org.flowwatch.globus.NotFoundException;
import org.flowwatch.globus.flows.DeployedFlow;
import org.flowwatch.globus.flows.FlowFields;
import org.flowwatch.globus.flows.FlowManagementClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deploys a flow without ever making a duplicate: with a known id it reads the deployed flow, compares
 * definition, input schema and metadata semantically, and updates only what differs (nothing at all
 * when it is up to date); it creates a flow only when no id is known, or when asked to and the known
 * flow is gone.
 */
public final class FlowDeployer {

  private static final Logger log = LoggerFactory.getLogger(FlowDeployer.class);

  static final String RUNS_KEEP_OLD_DEFINITION = "runs already executing keep the definition they started with;"
      + " only runs started from now on use the new one";

  private final FlowManagementClient flows;

  public FlowDeployer(FlowManagementClient flows) {
    this.flows = Objects.requireNonNull(flows, "flows");
  }

  /**
   * Creates the flow when {@code flowId} is null, else brings the deployed flow in line with
   * {@code wanted}.
   *
   * @param createIfGone when the flow of {@code flowId} is gone (404), create a new one instead of failing;
   *     when it still exists it is updated, never duplicated
   * @throws NotFoundException when the flow is gone and {@code createIfGone} is false; its remedy says how
   *     to create it anew
   * @throws IllegalArgumentException when a flow must be created and {@code wanted} has no title
   */
  public Deployment deploy(UUID flowId, FlowFields wanted, boolean createIfGone) {
    Objects.requireNonNull(wanted, "wanted");
    if (flowId == null) {
      return create(wanted, List.of());
    }
    DeployedFlow deployed;
    try {
      deployed = flows.get(flowId);
    } catch (NotFoundException e) {
      if (!createIfGone) {
        throw gone(flowId, e);
      }
      return create(wanted, List.of("flow " + flowId + " is gone or not visible to this identity, so a new flow"
          + " was created; runs must now start the new id"));
    }
    List<String> notes = new ArrayList<>();
    if (createIfGone) {
      notes.add("flow " + flowId + " still exists, so it was updated instead of creating a second one");
    }
    FlowDiff diff = FlowDiff.between(wanted, deployed);
    if (diff.isEmpty()) {
      log.info("Flow {} is up to date", flowId);
      return new Deployment(Deployment.Outcome.UP_TO_DATE, deployed, List.of(), notes);
    }
    notes.addAll(warnings(diff, deployed));
    DeployedFlow updated = flows.update(flowId, diff.update());
    return new Deployment(Deployment.Outcome.UPDATED, updated, diff.changes(), notes);
  }

  /**
   * What {@link #deploy} would change, reading the deployed flow but writing nothing.
   *
   * @throws NotFoundException as {@link #deploy} without createIfGone
   */
  public Deployment plan(UUID flowId, FlowFields wanted) {
    Objects.requireNonNull(flowId, "flowId");
    DeployedFlow deployed;
    try {
      deployed = flows.get(flowId);
    } catch (NotFoundException e) {
      throw gone(flowId, e);
    }
    FlowDiff diff = FlowDiff.between(wanted, deployed);
    if (diff.isEmpty()) {
      return new Deployment(Deployment.Outcome.UP_TO_DATE, deployed, List.of(), List.of());
    }
    return new Deployment(Deployment.Outcome.WOULD_UPDATE, deployed, diff.changes(), warnings(diff, deployed));
  }

  private Deployment create(FlowFields wanted, List<String> notes) {
    if (wanted.title() == null) {
      throw new IllegalArgumentException("a new flow needs a title");
    }
    DeployedFlow created = flows.create(wanted);
    return new Deployment(Deployment.Outcome.CREATED, created, List.of(), notes);
  }

  private static NotFoundException gone(UUID flowId, NotFoundException e) {
    return new NotFoundException(e.action(), e.reason(), "Flow " + flowId + " is gone, or not visible to this"
        + " identity (check that you are logged in as its owner or an administrator). To deploy a new flow in its"
        + " place, run 'flowwatch deploy-flow --create' (add --save to write the new id into the config).", e);
  }

  /** What the person should know before this update reaches running and future runs. */
  private static List<String> warnings(FlowDiff diff, DeployedFlow deployed) {
    List<String> warnings = new ArrayList<>();
    if (diff.changesDefinition()) {
      warnings.add(RUNS_KEEP_OLD_DEFINITION);
      Set<String> added = new LinkedHashSet<>(FlowDefinition.actionUrlsOf(diff.update().definition()));
      added.removeAll(FlowDefinition.actionUrlsOf(deployed.definition()));
      if (!added.isEmpty() && deployed.definition() != null) {
        warnings.add("the new definition calls action providers the deployed one did not ("
            + String.join(", ", added) + "): the flow's scope gains dependencies, so users must consent again"
            + " (flowwatch login) and a confidential client must be allowed to use them");
      }
    }
    return warnings;
  }
}
