package org.flowwatch.globus.flows;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/** {@link FlowRuns} on the Globus Flows service, for one flow. */
public final class GlobusFlowRuns implements FlowRuns {
  private final FlowsClient flows;
  private final FlowTarget target;

  public GlobusFlowRuns(FlowsClient flows, FlowTarget target) {
    this.flows = Objects.requireNonNull(flows, "flows");
    this.target = Objects.requireNonNull(target, "target");
  }

  @Override
  public void authorizeStart() {
    flows.authorizeStart(target.flowId(), target.startScope());
  }

  @Override
  public FlowRun start(StartRun run, TriggerToken token) {
    List<String> tags = new ArrayList<>(run.tags());
    tags.add(token.value());
    StartRun marked = new StartRun(run.body(), token.label(run.label()), tags, run.runMonitors(), run.runManagers(),
        run.notificationPolicy());
    return flows.startRun(target.flowId(), target.startScope(), marked);
  }

  @Override
  public Optional<FlowRun> findByToken(TriggerToken token) {
    // The label filter is a case-insensitive substring match: compare exactly here.
    return flows.listRuns(target.flowId(), token.value()).stream().filter(token::marks).findFirst();
  }

  @Override
  public FlowRun get(UUID runId) {
    return flows.getRun(runId);
  }

  @Override
  public List<FlowRun> listActive() {
    String active = RunStatus.ACTIVE + "," + RunStatus.INACTIVE;
    // Filtered here too: a service that ignored filter_status must not make ended runs look active.
    return flows.listRuns(target.flowId(), null, active).stream().filter(r -> !r.runStatus().isFinal()).toList();
  }

  @Override
  public List<FlowRun> listEndedSince(java.time.Instant since) {
    String ended = RunStatus.SUCCEEDED + "," + RunStatus.FAILED + "," + RunStatus.ENDED;
    return flows.listRuns(target.flowId(), null, ended, since).stream().filter(r -> r.runStatus().isFinal()).toList();
  }

  @Override
  public FlowRun resume(UUID runId) {
    return flows.resumeRun(target.flowId(), target.startScope(), runId);
  }

  @Override
  public FlowRun cancel(UUID runId) {
    return flows.cancelRun(runId);
  }
}
