package org.flowwatch.watch;

import java.time.Duration;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Consumer;
import org.flowwatch.globus.flows.FlowRun;
import org.flowwatch.globus.flows.FlowRuns;
import org.flowwatch.globus.Sleeper;
import org.flowwatch.globus.flows.FlowRun;
import org.flowwatch.globus.flows.FlowsClient;

/**
 * Follows a flow run until it ends, polling with a growing interval: runs last minutes to hours, so the
 * first polls come quickly and later ones every {@code maxInterval}.
 */
public final class RunFollower {
  private final FlowRuns flows;
  private final Sleeper sleeper;
  private final Duration firstInterval;
  private final Duration maxInterval;

  public RunFollower(FlowRuns flows, Sleeper sleeper, Duration firstInterval, Duration maxInterval) {
    this.flows = Objects.requireNonNull(flows, "flows");
    this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
    this.firstInterval = firstInterval;
    this.maxInterval = maxInterval;
  }

  /**
   * Polls the run until it is final.
   *
   * @param onChange called with the first state seen and again whenever status or details code change
   * @return the run in its final state
   */
  public FlowRun follow(UUID runId, Consumer<FlowRun> onChange) throws InterruptedException {
    Duration interval = firstInterval;
    FlowRun last = null;
    while (true) {
      FlowRun run = flows.get(runId);
      if (last == null || !run.status().equals(last.status())
          || !Objects.equals(run.detailsCode(), last.detailsCode())) {
        onChange.accept(run);
      }
      if (run.isFinal()) {
        return run;
      }
      last = run;
      sleeper.sleep(interval);
      interval = interval.multipliedBy(2).compareTo(maxInterval) > 0 ? maxInterval : interval.multipliedBy(2);
    }
  }
}
