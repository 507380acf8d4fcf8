package org.flowwatch.watch;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.flowwatch.config.Config;
import org.flowwatch.config.ConfigLoader;
import org.flowwatch.config.StateLayout;

/**
 * Everything the start use-cases take from the command line, in one value: the CLI builds it once and
 * hands it to {@link WatchAgent}, {@link WatchPreview}, {@link HandStart} or {@link HandStartPreview}.
 *
 * @param configFile the config file
 * @param triggerDelay overrides {@code watch.trigger_delay}, or null
 * @param stateDir where the ledger lives, or null for the default
 * @param watchDir the agent's watch directory, or null
 * @param runDir the hand start's run directory, or null
 * @param once one pass of the agent, then return
 * @param pollOnly scan without file-system events
 * @param again a hand start of a directory the ledger has as started or succeeded
 * @param force a hand start of a directory that is not ready
 * @param waitForRun follow a hand start until it ends
 * @param waitInterval the first interval of that following
 * @param agent the agent's knobs
 * @param http {@code --http}: where the agent serves metrics and health, overriding {@code http.listen}; or null
 */
public record StartOptions(Path configFile, Duration triggerDelay, Path stateDir, Path watchDir, Path runDir,
    boolean once, boolean pollOnly, boolean again, boolean force, boolean waitForRun, Duration waitInterval,
    AgentOptions agent, org.flowwatch.config.HttpConfig http) {

  /** Options without {@code --http}. */
  public StartOptions(Path configFile, Duration triggerDelay, Path stateDir, Path watchDir, Path runDir,
      boolean once, boolean pollOnly, boolean again, boolean force, boolean waitForRun, Duration waitInterval,
      AgentOptions agent) {
    this(configFile, triggerDelay, stateDir, watchDir, runDir, once, pollOnly, again, force, waitForRun,
        waitInterval, agent, null);
  }

  /** Reads the config as these options amend it; called again on each reload. */
  public Config loadConfig(Map<String, String> env) {
    Config cfg = new ConfigLoader(env).load(configFile);
    cfg = http == null ? cfg : cfg.withHttp(http);
    return triggerDelay == null ? cfg : cfg.withWatch(cfg.watch().withTriggerDelay(triggerDelay));
  }

  /** The state directory's files: {@code --state-dir}, or the default for this environment. */
  public StateLayout state(Map<String, String> env) {
    return StateLayout.of(stateDir, env);
  }
}
