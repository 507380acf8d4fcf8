package org.flowwatch.cli;

import java.nio.file.Path;
import java.time.Clock;
import java.util.function.Function;
import org.flowwatch.config.Config;
import org.flowwatch.engine.FlowInterpreter;
import org.flowwatch.globus.compute.ComputeClient;
import org.flowwatch.globus.flows.FlowRuns;
import org.flowwatch.globus.flows.FlowTarget;
import org.flowwatch.local.LocalFlowRuns;
import org.flowwatch.local.LocalRunStore;


/**
 * The services of {@code --engine local}: runs execute on this machine, no Globus service is asked, no
 * credentials are needed. One engine per command: a reload keeps the definition it started with, since
 * runs in progress are executing it.
 */
final class LocalServices implements Session {
  private final Path stateDir;
  private final Function<Config, FlowInterpreter> engine;
  private LocalRunStore store;
  private LocalFlowRuns runs;

  /** @param engine builds the interpreter, with its local providers, for a config */
  LocalServices(Path stateDir, Function<Config, FlowInterpreter> engine) {
    this.stateDir = stateDir;
    this.engine = engine;
  }

  @Override
  public synchronized FlowRuns flowRuns(Config config) {
    if (runs == null) {
      FlowTarget target = FlowTarget.of(config);
      FlowInterpreter interpreter = engine.apply(config);
      store = LocalRunStore.open(stateDir);
      runs = new LocalFlowRuns(store, interpreter, target.flowId().toString(), System.getProperty("user.name"),
          config.watch().maxActiveRuns(), Clock.systemUTC());
    }
    return runs;
  }

  /** No endpoint is asked whether it is online: local functions run here. */
  @Override
  public ComputeClient compute(Config config) {
    return null;
  }

  /** Nothing waits on a service; runs in progress stop when this closes. */
  @Override
  public void abandonCalls() {}

  @Override
  public synchronized void close() {
    if (runs != null) {
      runs.close();
    }
    if (store != null) {
      store.close();
    }
  }
}
