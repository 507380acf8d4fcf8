package org.flowwatch.cli;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.function.Function;
import org.flowwatch.config.Config;
import org.flowwatch.config.ConfigException;
import org.flowwatch.engine.DefinitionRefusedException;
import org.flowwatch.engine.LocalEngine;
import org.flowwatch.engine.RunListener;
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
  private final RunListener echo;
  private LocalRunStore store;
  private LocalFlowRuns runs;

  /**
   * @param engine builds the interpreter, with its local providers, for a config
   * @param echo hears each run state by state (a hand start's stderr lines), or {@link RunListener#NONE}
   */
  LocalServices(Path stateDir, Function<Config, FlowInterpreter> engine, RunListener echo) {
    this.stateDir = stateDir;
    this.engine = engine;
    this.echo = echo;
  }

  /**
   * The local engine of the config's flow definition, collections mapped as the config says and
   * {@code roots} (from {@code --root}) over that.
   */
  static FlowInterpreter interpreter(Config config, Map<String, Path> roots) {
    Path definition = config.flow().definition();
    if (definition == null) {
      throw new ConfigException("the local engine runs the flow definition itself: set flow.definition in "
          + config.file());
    }
    LocalEngine engine;
    try {
      engine = LocalEngine.of(config, roots);
    } catch (IllegalArgumentException e) {
      throw new UsageException("--root: " + e.getMessage());
    }
    try {
      return engine.interpreter(definition);
    } catch (DefinitionRefusedException e) {
      throw new ConfigException("the flow definition " + definition + " cannot run locally: " + e.getMessage());
    }
  }

  @Override
  public synchronized FlowRuns flowRuns(Config config) {
    if (runs == null) {
      FlowTarget target = FlowTarget.of(config);
      FlowInterpreter interpreter = engine.apply(config);
      store = LocalRunStore.open(stateDir);
      runs = new LocalFlowRuns(store, interpreter, target.flowId().toString(), System.getProperty("user.name"),
          config.watch().maxActiveRuns(), Clock.systemUTC(), echo);
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
