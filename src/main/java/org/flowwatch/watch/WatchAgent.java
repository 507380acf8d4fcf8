package org.flowwatch.watch;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.flowwatch.config.Config;
import org.flowwatch.config.ConfigException;
import org.flowwatch.config.StateLayout;
import org.flowwatch.ledger.Ledger;
import org.flowwatch.ledger.RunState;
import org.flowwatch.notify.Notifier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code --watchdir DIR}: the agent until it is stopped, or one pass of it with {@code --once}. Takes the
 * locks that keep a second agent off the ledger and the watch directory, and stops in bounded time on
 * SIGTERM or Ctrl-C; SIGHUP reloads the config.
 */
public final class WatchAgent {
  private static final Logger log = LoggerFactory.getLogger("flowwatch");

  private final PrintWriter err;
  private final Map<String, String> env;
  private final Clock clock;
  /** Released once the agent has stopped and its ledger and locks are closed. */
  private final CountDownLatch finished = new CountDownLatch(1);

  public WatchAgent(PrintWriter err, Map<String, String> env, Clock clock) {
    this.err = err;
    this.env = env;
    this.clock = clock;
  }

  /** A usage error (exit 2) unless {@code dir} is a directory. */
  static void requireWatchDirectory(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new WatchDirectoryException("the watch directory " + dir + (Files.exists(dir) ? " is not a directory"
          : " does not exist") + "; give --watchdir the directory that receives the run directories");
    }
  }

  public Outcome run(StartOptions options, Services services) {
    try {
      return watch(options, services);
    } finally {
      finished.countDown(); // only now are the ledger and locks closed: a waiting stop may let the JVM halt
    }
  }

  private Outcome watch(StartOptions options, Services services) {
    requireWatchDirectory(options.watchDir());
    Config cfg = options.loadConfig(env);
    Path root = options.watchDir().toAbsolutePath().normalize();
    StateLayout state = options.state(env);
    try {
      services.flowRuns(cfg); // missing credentials fail here, before any lock
    } catch (ConfigException e) {
      // no flow to start: the agent says so once and waits for a fixed config (see Agent)
    }
    try (AgentLock lock = AgentLock.acquire(state.directory(), StateLayout.hostLockDirectory(env), root);
        Ledger ledger = Ledger.open(state.ledger(), root, clock);
        Notifier notifier = Notifier.start(cfg.notifications(), root, env, clock)) {
      resumeInterrupted(services, cfg);
      // A reload applies the notify: section too; a half-set SMTP login refuses the reload like a bad file.
      Supplier<Config> reload = () -> {
        Config fresh = options.loadConfig(env);
        notifier.reconfigure(fresh.notifications());
        return fresh;
      };
      Agent agent = new Agent(root, cfg, ledger, services, reload, options.agent().withEvents(notifier), clock, env);
      notifier.describe().ifPresent(d -> log.info("notifications: {}", d));
      // Directories HELD before this start get no transition now; their held_after still counts.
      ledger.inStates(EnumSet.of(RunState.HELD)).forEach(r -> notifier.applied(r, null));
      if (options.once()) {
        agent.reportTo(state.agentStatus(), state.ignored(), null);
        Optional<String> problem = agent.runOnce();
        problem.ifPresent(p -> err.println("flowwatch: " + p));
        return problem.isPresent() ? Outcome.CONFIG_PROBLEM : Outcome.OK;
      }
      try (org.flowwatch.ops.HttpEndpoint endpoint = serve(cfg, agent, ledger)) {
        agent.reportTo(state.agentStatus(), state.ignored(),
            endpoint == null ? null : "http://" + printable(endpoint.address()));
        watchUntilStopped(agent, cfg, root, ledger, options);
      }
      return Outcome.OK;
    }
  }

  /**
   * Serves metrics and health when the config (or --http) says where; a stopped endpoint closes before the
   * ledger it counts. An address that cannot be bound stops the agent before it starts anything: a
   * monitored agent that is not monitored is worse than one that says so at once.
   */
  private static org.flowwatch.ops.HttpEndpoint serve(Config cfg, Agent agent, Ledger ledger) {
    if (cfg.http() == null) {
      return null;
    }
    try {
      org.flowwatch.ops.HttpEndpoint endpoint = org.flowwatch.ops.HttpEndpoint.start(cfg.http().address(),
          agent.metrics(), ledger::countByState);
      log.info("serving /metrics, /healthz and /readyz on http://{}", printable(endpoint.address()));
      return endpoint;
    } catch (java.io.IOException | RuntimeException e) {
      throw new ConfigException("cannot serve metrics on " + cfg.http() + " (http.listen or --http): " + e
          + "; choose a free port on an address of this host, or remove http.listen");
    }
  }

  private static String printable(java.net.InetSocketAddress a) {
    String host = a.getAddress() == null ? a.getHostString() : a.getAddress().getHostAddress();
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort();
  }

  private void watchUntilStopped(Agent agent, Config cfg, Path root, Ledger ledger, StartOptions options) {
    MountTable mounts = MountTable.read();
    String fs = mounts.typeOf(root);
    boolean network = mounts.isNetwork(root);
    log.info("flowwatch agent watching {} ({} file system); ledger {}; readiness {}{};"
        + " scanning every {}{}", root, fs, ledger.file(), cfg.watch().readiness(),
        cfg.watch().uses("settle") ? " (trigger delay " + human(cfg.watch().triggerDelay()) + ")" : "",
        human(cfg.watch().scanInterval()),
        network ? "; polling only: events from other hosts writing to a " + fs + " file system are not seen"
            : options.pollOnly() ? "; polling only (--poll)" : " and on file-system events");
    loop(agent, !network && !options.pollOnly());
  }

  /** Local runs a stopped process was executing go on now, under this agent's lock. */
  private static void resumeInterrupted(Services services, Config cfg) {
    try {
      int resumed = services.flowRuns(cfg).resumeInterrupted();
      if (resumed > 0) {
        log.info("resumed {} local run(s) that a stopped process was executing", resumed);
      }
    } catch (ConfigException e) {
      // no flow: nothing was started, so nothing can be resumed
    }
  }

  private static String human(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
  }

  /**
   * Runs the agent on this thread. SIGTERM and Ctrl-C stop it within {@link Agent#STOP_WITHIN}, whatever
   * the services do; the JVM then exits 143 or 130. SIGHUP asks for a reload.
   */
  private void loop(Agent agent, boolean events) {
    Thread hook = new Thread(() -> {
      log.info("stopping: abandoning the wait or call in progress");
      agent.stop();
      try {
        if (!finished.await(Agent.STOP_WITHIN.toMillis(), TimeUnit.MILLISECONDS)) {
          log.warn("the agent did not stop within {}s; exiting anyway (an abandoned start stays STARTING and is"
              + " looked up by its token next time)", Agent.STOP_WITHIN.toSeconds());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "flowwatch-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    boolean reloads = Signals.onHangUp(() -> {
      log.info("SIGHUP: reading the configuration again before the next scan");
      agent.reload();
    });
    if (!reloads) {
      log.warn("SIGHUP cannot be handled on this JVM; restart the agent to apply a new configuration");
    }
    try {
      agent.run(events);
      log.info("stopped");
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // the hook is running: it is waiting for 'finished', which is released when run() returns
      }
    }
  }
}
