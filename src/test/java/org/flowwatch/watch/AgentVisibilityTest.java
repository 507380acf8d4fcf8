package org.flowwatch.watch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.flowwatch.cli.Cli;
import org.flowwatch.cli.Terminal;
import org.flowwatch.config.Config;
import org.flowwatch.config.ConfigLoader;
import org.flowwatch.config.StateLayout;
import org.flowwatch.globus.compute.ComputeClient;
import org.flowwatch.globus.flows.FlowRuns;
import org.flowwatch.ledger.Ledger;
import org.flowwatch.ledger.RunState;
import org.flowwatch.ledger.Transition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * What a person learns without reading code: whether an agent runs on a ledger and when it last scanned,
 * what it ignored and why, log levels that separate trouble from routine, and the heartbeat. A real agent
 * loop with its real lock, ledger and state files; the flow service kept in memory.
 */
class AgentVisibilityTest {
  @TempDir Path dir;
  private Path watch;
  private StateLayout state;
  private AgentLock lock;
  private Ledger ledger;
  private Agent agent;
  private Thread loop;
  private final InMemoryFlowRuns runs = new InMemoryFlowRuns();
  private final java.util.List<ch.qos.logback.classic.Logger> captured = new java.util.ArrayList<>();
  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();

  @BeforeEach
  void setUp() throws IOException {
    watch = Files.createDirectories(dir.resolve("watch"));
    Files.writeString(dir.resolve("schema.json"), AgentTest.SCHEMA);
    state = StateLayout.in(dir.resolve("state"));
    logs.start();
  }

  @AfterEach
  void tearDown() throws InterruptedException {
    stopAgent();
    captured.forEach(l -> l.detachAppender(logs));
  }

  private void capture(String logger) {
    ch.qos.logback.classic.Logger l = (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(logger);
    l.addAppender(logs);
    l.setLevel(Level.INFO);
    captured.add(l);
  }

  private List<String> logged(String logger) {
    return List.copyOf(logs.list).stream().filter(e -> e.getLoggerName().equals(logger))
        .map(e -> e.getLevel() + " " + e.getFormattedMessage()).toList();
  }

  /** Starts the agent as WatchAgent does: its locks, its ledger, its state files; the sentinel never comes. */
  private void startAgent(String extraWatchSettings) throws IOException {
    Files.writeString(dir.resolve("flowwatch.yaml"), AgentTest.config(watch,
        "readiness: [sentinel]\n  sentinel: DONE\n  " + extraWatchSettings));
    Config cfg = new ConfigLoader(Map.of()).load(dir.resolve("flowwatch.yaml"));
    lock = AgentLock.acquire(state.directory(), dir.resolve("locks"), watch);
    ledger = Ledger.open(state.ledger(), watch, Clock.systemUTC());
    Services services = new Services() {
      @Override
      public FlowRuns flowRuns(Config config) {
        return runs;
      }

      @Override
      public ComputeClient compute(Config config) {
        return null;
      }

      @Override
      public void abandonCalls() {
      }
    };
    agent = new Agent(watch, cfg, ledger, services, () -> cfg, new AgentOptions(Duration.ZERO, Duration.ZERO),
        Clock.systemUTC(), Map.of());
    agent.reportTo(state.agentStatus(), state.ignored(), null);
    loop = new Thread(() -> agent.run(false), "agent-under-test");
    loop.start();
  }

  private void stopAgent() throws InterruptedException {
    if (agent != null) {
      agent.stop();
      loop.join(10_000);
      agent = null;
    }
    if (ledger != null) {
      ledger.close();
      ledger = null;
    }
    if (lock != null) {
      lock.close();
      lock = null;
    }
  }

  /** Runs a flowwatch command in this process; returns stdout, then stderr. */
  private String[] flowwatch(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    String[] all = new String[args.length + 2];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "--state-dir";
    all[args.length + 1] = state.directory().toString();
    int code = Cli.run(all, new Terminal(new PrintWriter(out, true), new PrintWriter(err, true),
        new BufferedReader(new StringReader("")), Map.of("HOME", dir.toString())));
    assertEquals(0, code, "flowwatch " + String.join(" ", args) + ": " + err);
    return new String[] {out.toString(), err.toString()};
  }

  @Test
  void statusSaysWhichAgentRunsAndWhenItLastScannedThenWhenItLastRan() throws Exception {
    Files.createDirectories(watch.resolve("run0001"));
    startAgent("");
    AgentHealthTest.await(() -> ledger.get("run0001").isPresent() && Files.exists(state.agentStatus()),
        "the first scan and status file");
    AgentHealthTest.await(() -> flowwatch("status")[1].contains("last scan 20"), "a scan in agent.status");

    String running = flowwatch("status")[1];

    long pid = ProcessHandle.current().pid();
    assertTrue(running.startsWith("agent: running (pid " + pid + ", user "), running);
    assertTrue(running.contains("watching " + watch.toRealPath()), running);
    assertTrue(running.contains("; last scan 20"), running);
    assertTrue(running.contains("last poll never"), running); // nothing started: nothing to poll

    stopAgent();
    String stopped = flowwatch("status")[1];

    assertTrue(stopped.startsWith("agent: not running; it last ran as pid " + pid + " on "), stopped);
    assertTrue(stopped.contains(", stopped at 20"), stopped);
    assertTrue(stopped.contains("; last scan 20"), stopped);
    assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
        Files.getPosixFilePermissions(state.agentStatus())));
  }

  @Test
  void statusWithoutAnyAgentSaysNoneHasRun() throws Exception {
    Ledger.open(state.ledger(), watch, Clock.systemUTC()).close();

    String said = flowwatch("status")[1];

    assertTrue(said.startsWith("agent: not running; no agent has run with the state directory "), said);
  }

  @Test
  void ignoredNamesAreListedWithTheirReasonAndLoggedOnce() throws Exception {
    capture("org.flowwatch.watch.WatchDirectory");
    Files.createDirectories(watch.resolve("run0001"));
    Files.writeString(watch.resolve("notes.txt"), "shift log");
    Files.writeString(watch.resolve("run0002"), "a file where a run directory belongs");
    Path elsewhere = Files.createDirectories(dir.resolve("elsewhere/run0003"));
    Files.createSymbolicLink(watch.resolve("run0003"), elsewhere);
    startAgent("");
    AgentHealthTest.await(() -> flowwatch("status", "--ignored")[0].contains("run0003"), "the ignored names");
    Thread.sleep(500); // several more scans of the same names

    String[] said = flowwatch("status", "--ignored");

    List<String> lines = said[0].lines().toList();
    assertEquals(4, lines.size(), said[0]); // header and three names; run0001 is a run directory
    assertTrue(lines.get(1).startsWith("notes.txt ") && lines.get(1).endsWith(
        "does not match the run directory pattern run(?<number>\\d+)"), lines.get(1));
    assertTrue(lines.get(2).startsWith("run0002 ") && lines.get(2).endsWith(
        "matches the run directory pattern but is not a directory"), lines.get(2));
    assertTrue(lines.get(3).startsWith("run0003 ") && lines.get(3).contains("is a symbolic link to "
        + elsewhere.toRealPath() + ", outside the watch directory"), lines.get(3));
    assertTrue(said[1].startsWith("3 ignored names, as the agent saw them at "), said[1]);
    List<String> logLines = logged("org.flowwatch.watch.WatchDirectory");
    assertEquals(1, logLines.stream().filter(l -> l.startsWith("INFO notes.txt does not match")).count(),
        logLines.toString());
    assertEquals(1, logLines.stream().filter(l -> l.startsWith("WARN run0002 ")).count(), logLines.toString());
    assertEquals(1, logLines.stream().filter(l -> l.startsWith("WARN run0003 ")).count(), logLines.toString());

    Files.delete(watch.resolve("notes.txt"));
    AgentHealthTest.await(() -> !flowwatch("status", "--ignored")[0].contains("notes.txt"),
        "a name that went away to leave the list");
    assertTrue(flowwatch("status", "--ignored", "--json")[0].contains("\"name\" : \"run0002\""));
  }

  @Test
  void theHeartbeatCountsTheRunDirectoriesByStateAtItsInterval() throws Exception {
    capture("flowwatch.heartbeat");
    Files.createDirectories(watch.resolve("run0001"));
    Files.createDirectories(watch.resolve("run0002"));
    startAgent("heartbeat: 1s");

    AgentHealthTest.await(() -> logged("flowwatch.heartbeat").size() >= 2, "two heartbeats");
    stopAgent();

    List<String> beats = logged("flowwatch.heartbeat");
    assertTrue(beats.size() <= 4, "more heartbeats than one a second: " + beats);
    assertTrue(beats.get(1).matches("INFO heartbeat: 2 run directories \\(SETTLING 2\\); last scan 20.*,"
        + " last poll never"), beats.get(1));
  }

  @Test
  void transitionsThatNeedAPersonAreWarningsAndRoutineOnesInformation() throws Exception {
    capture("flowwatch.runs");
    try (Ledger l = Ledger.open(state.ledger(), watch, Clock.systemUTC())) {
      TransitionLog t = new TransitionLog(l);
      t.apply(Transition.of("run1", RunState.SEEN).reason("new run directory"));
      t.apply(Transition.of("run1", RunState.READY).reason("ready"));
      t.apply(Transition.of("run1", RunState.STARTING).startWith("fw-1").reason("starting"));
      t.apply(Transition.of("run1", RunState.STARTING).reason(RunStarter.ANSWER_LOST + "; will look for token"));
      t.apply(Transition.of("run1", RunState.ACTIVE).runId("r1").reason("started"));
      t.apply(Transition.of("run1", RunState.INACTIVE).reason("consent required"));
      t.apply(Transition.of("run1", RunState.LOST).reason("404"));
      t.apply(Transition.of("run1", RunState.FAILED).reason("failed"));
      t.apply(Transition.of("run2", RunState.INVALID).reason("schema"));
      t.apply(Transition.of("run3", RunState.HELD).reason("endpoint offline"));
      t.apply(Transition.of("run4", RunState.SUCCEEDED).reason("done"));
    }

    List<String> levels = logged("flowwatch.runs").stream().map(s -> s.substring(0, s.indexOf(' '))).toList();

    assertEquals(List.of("INFO", "INFO", "INFO", "WARN", "INFO", "WARN", "WARN", "WARN", "WARN", "WARN", "INFO"),
        levels, logged("flowwatch.runs").toString());
  }
}
