package org.flowwatch.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.flowwatch.config.Config;
import org.flowwatch.config.StateDirectory;
import org.flowwatch.globus.compute.ComputeClient;
import org.flowwatch.globus.flows.FlowsClient;
import org.flowwatch.ledger.Ledger;
import org.flowwatch.watch.Agent;
import org.flowwatch.watch.AgentLock;
import org.flowwatch.watch.AgentOptions;
import org.flowwatch.watch.MountTable;
import org.flowwatch.watch.RunLauncher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code --watchdir}: the background agent, or one pass of it with {@code --once}. */
final class WatchMode {
  private static final Logger log = LoggerFactory.getLogger("flowwatch");

  private final Terminal terminal;
  /** Released once the agent has stopped and its ledger and locks are closed. */
  private final CountDownLatch finished = new CountDownLatch(1);

  WatchMode(Terminal terminal) {
    this.terminal = terminal;
  }

  static Path ledgerFile(Path stateDir) {
    return stateDir.resolve("ledger.db");
  }

  static Path stateDir(Path option, Terminal terminal) {
    return option != null ? option.toAbsolutePath().normalize() : StateDirectory.resolve(terminal.env());
  }

  static void requireWatchDirectory(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new UsageException("the watch directory " + dir + (Files.exists(dir) ? " is not a directory"
          : " does not exist") + "; give --watchdir the directory that receives the run directories");
    }
  }

  int run(Config cfg, Path watchDir, Path stateDirOption, boolean once, boolean pollOnly, AgentOptions options)
      throws InterruptedException {
    requireWatchDirectory(watchDir);
    RunLauncher.flowId(cfg); // no flow, nothing to start: fail before taking locks
    Path stateDir = stateDir(stateDirOption, terminal);
    Path root = watchDir.toAbsolutePath().normalize();
    try (GlobusSession globus = GlobusSession.open(terminal)) {
      FlowsClient flows = globus.flows(terminal, cfg); // missing credentials fail here, before any lock
      ComputeClient compute = cfg.compute().endpoints().isEmpty() ? null : globus.compute(terminal, cfg);
      return run(cfg, root, stateDir, flows, compute, once, pollOnly, options);
    } finally {
      LogSetup.flush();
      // Only now are the ledger and locks closed: a shutdown hook waiting on this may let the JVM halt.
      finished.countDown();
    }
  }

  private int run(Config cfg, Path root, Path stateDir, FlowsClient flows, ComputeClient compute, boolean once,
      boolean pollOnly, AgentOptions options) throws InterruptedException {
    try (AgentLock lock = AgentLock.acquire(stateDir, root);
        Ledger ledger = Ledger.open(ledgerFile(stateDir), root, Clock.systemUTC())) {
      Agent agent = new Agent(root, cfg, ledger, flows, compute, options, Clock.systemUTC(), terminal.env());
      if (once) {
        agent.runOnce();
        return ExitCode.OK;
      }
      String fs = MountTable.read().typeOf(root);
      boolean network = MountTable.read().isNetwork(root);
      log.info("flowwatch agent watching {} ({} file system); ledger {}; readiness {} (trigger delay {});"
          + " scanning every {}{}", root, fs, ledger.file(), cfg.watch().readiness(),
          human(cfg.watch().triggerDelay()), human(cfg.watch().scanInterval()),
          network ? "; polling only: events from other hosts writing to a " + fs + " file system are not seen"
              : pollOnly ? "; polling only (--poll)" : " and on file-system events");
      return loop(agent, !network && !pollOnly);
    }
  }

  private static String human(java.time.Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
  }

  /** Runs the agent on this thread; SIGTERM / Ctrl-C stop it after the step in progress. */
  private int loop(Agent agent, boolean events) throws InterruptedException {
    Thread hook = new Thread(() -> {
      log.info("stopping: finishing the step in progress");
      agent.stop();
      try {
        // In-flight calls end within the HTTP timeout; their outcome is recorded before the loop returns.
        finished.await(60, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "flowwatch-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      agent.run(events);
      log.info("stopped");
      return ExitCode.OK;
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // the hook is running: it is waiting for 'finished', which is now released
      }
    }
  }
}
