package org.flowwatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.flowwatch.testing.ConfigFiles;

/**
 * What the black-box tests of the agent's start paths share: a watch directory and a config in a temporary
 * directory, the packaged jar pointed at a stub's URL with client credentials, rsync as the writer, the
 * ledger read only through {@code flowwatch status --json} (never through the ledger classes, whose schema
 * is the jar's business), bounded waits, and signals sent with {@code kill}.
 */
final class AgentHarness implements AutoCloseable {
  static final String FLOW = "babd88e5-d31d-48c7-b3a0-b765389b5c22";
  static final String COLLECTION = "9656eff2-8105-445c-8501-154dfe1d88e5";
  /** The default flow section: an id, a valid schema, the label {@code {run.name}}. */
  static final String FLOW_SECTION = "id: " + FLOW + "\nschema: schema.json\nlabel: \"{run.name}\"";
  /** Readiness that needs no waiting: one file is enough. */
  static final String ONE_FILE = "readiness: [manifest]\nmanifest: {count: 1}\nscan_interval: 200ms";

  private static final ObjectMapper JSON = new ObjectMapper();
  /** The first line of a text log entry: timestamp, level, message (LogSetup's pattern). */
  private static final Pattern ENTRY = Pattern.compile("^\\S+ (TRACE|DEBUG|INFO|WARN|ERROR)\\s");
  /** rsync writes each file as {@code .name.XXXXXX} next to its final name and renames it when done. */
  private static final Pattern RSYNC_TEMPORARY = Pattern.compile("\\..+\\.[A-Za-z0-9]{6}");

  final Path dir;
  final Path watch;
  final Path state;
  final Path config;
  final Path log;
  private final String serviceUrl;
  private final List<Process> processes = new ArrayList<>();

  AgentHarness(Path tempDir, String serviceUrl) throws IOException {
    this.dir = tempDir.toRealPath();
    this.serviceUrl = serviceUrl;
    this.watch = Files.createDirectories(dir.resolve("watch"));
    this.state = dir.resolve("agent-state");
    this.config = dir.resolve("flowwatch.yaml");
    this.log = dir.resolve("agent.log");
    Files.createDirectories(dir.resolve("locks"));
    Files.writeString(dir.resolve("schema.json"), "{\"type\": \"object\", \"required\": [\"source\"]}");
  }

  /** Writes the config with the default flow section. */
  void config(String watchSection) throws IOException {
    config(FLOW_SECTION, watchSection);
  }

  void config(String flowSection, String watchSection) throws IOException {
    ConfigFiles.writeSmall(config, watch, flowSection, "run(?<number>\\d+)", watchSection);
  }

  /** The jar in a clean environment, talking to the stub, with a lock directory of this test's own. */
  JarRunner jar() {
    return new JarRunner(dir)
        .env("GLOBUS_SDK_SERVICE_URL_AUTH", serviceUrl)
        .env("GLOBUS_SDK_SERVICE_URL_FLOWS", serviceUrl)
        .env("GLOBUS_CLIENT_ID", "c0ffee00-1111-4222-8333-444455556666")
        .env("GLOBUS_CLIENT_SECRET", "not-a-real-secret")
        .env("FLOWWATCH_LOCK_DIR", dir.resolve("locks").toString());
  }

  /** {@code flowwatch --rundir watch/NAME} on the agent's ledger. */
  JarRunner.Result runDir(String name, String... extra) throws IOException, InterruptedException {
    List<String> args = new ArrayList<>(List.of("--config", config.toString(), "--state-dir", state.toString(),
        "--rundir", watch.resolve(name).toString()));
    args.addAll(List.of(extra));
    return jar().run(args.toArray(String[]::new));
  }

  /** One agent pass, {@code --watchdir watch --once}. */
  JarRunner.Result once(String... extra) throws IOException, InterruptedException {
    List<String> args = new ArrayList<>(List.of("--config", config.toString(), "--watchdir", watch.toString(),
        "--state-dir", state.toString(), "--once", "--start-grace=PT1S"));
    args.addAll(List.of(extra));
    return jar().run(args.toArray(String[]::new));
  }

  /** The long-running agent; its stdout and stderr go to {@link #log}. */
  Process startAgent(String... extra) throws IOException {
    List<String> args = new ArrayList<>(List.of("--config", config.toString(), "--watchdir", watch.toString(),
        "--state-dir", state.toString(), "--start-grace=PT1S", "--status-poll=PT0.2S"));
    args.addAll(List.of(extra));
    Process p = jar().start(log, args.toArray(String[]::new));
    processes.add(p);
    return p;
  }

  /** A source tree {@code src/NAME} of FILES files of KB kilobytes each, for rsync to copy. */
  Path source(String name, int files, int kilobytes) throws IOException {
    Path src = Files.createDirectories(dir.resolve("src").resolve(name));
    byte[] data = new byte[kilobytes * 1024];
    new Random(7).nextBytes(data);
    for (int i = 0; i < files; i++) {
      Files.write(src.resolve(String.format("%s-%02d.evt", name, i)), data);
    }
    return src;
  }

  /** Copies SRC into the watch directory with rsync and waits until rsync is done. */
  void rsync(Path src) throws IOException, InterruptedException {
    Process copy = rsyncSlowly(src, 0);
    assertTrue(copy.waitFor(60, TimeUnit.SECONDS), "rsync did not finish in 60 s");
    assertEquals(0, copy.exitValue(), Files.readString(dir.resolve("rsync.log")));
  }

  /** Starts rsync copying SRC into the watch directory at KB_PER_SECOND (0: no limit). */
  Process rsyncSlowly(Path src, int kbPerSecond) throws IOException {
    List<String> cmd = new ArrayList<>(List.of("rsync", "-a"));
    if (kbPerSecond > 0) {
      cmd.add("--bwlimit=" + kbPerSecond);
    }
    cmd.addAll(List.of(src.toString(), watch + "/"));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("rsync.log").toFile())).start();
    processes.add(p);
    return p;
  }

  /** The rsync temporary files directly inside DIR. */
  static List<Path> rsyncTemporaries(Path dir) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> RSYNC_TEMPORARY.matcher(f.getFileName().toString()).matches()).toList();
    } catch (IOException e) {
      return List.of(); // rsync renamed or removed something while we listed: look again next time
    }
  }

  /** Every ledger row, from {@code flowwatch status --json}; none while no ledger exists. */
  List<JsonNode> rows() throws IOException, InterruptedException {
    JarRunner.Result r = jar().run("--state-dir", state.toString(), "status", "--json");
    // The agent may create the ledger between the command's look and ours: trust what the command saw.
    if (r.code() == 2 && r.err().contains("there is no ledger")) {
      return List.of();
    }
    assertEquals(0, r.code(), "flowwatch status --json: " + r.err());
    List<JsonNode> rows = new ArrayList<>();
    JSON.readTree(r.out()).forEach(rows::add);
    return rows;
  }

  Optional<JsonNode> row(String key) throws IOException, InterruptedException {
    return rows().stream().filter(n -> n.path("key").asText().equals(key)).findFirst();
  }

  /** One row with its history, from {@code flowwatch status KEY --json}. */
  JsonNode detail(String key) throws IOException, InterruptedException {
    JarRunner.Result r = jar().run("--state-dir", state.toString(), "status", key, "--json");
    assertEquals(0, r.code(), "flowwatch status " + key + " --json: " + r.err() + r.out());
    JsonNode arr = JSON.readTree(r.out());
    assertEquals(1, arr.size(), r.out());
    return arr.get(0);
  }

  /** The states a row went through, in order, from its history. */
  static List<String> statesIn(JsonNode detail) {
    List<String> states = new ArrayList<>();
    detail.path("history").forEach(h -> states.add(h.path("to").asText()));
    return states;
  }

  /** The reasons of a row's history entries, in order. */
  static List<String> reasonsIn(JsonNode detail) {
    List<String> reasons = new ArrayList<>();
    detail.path("history").forEach(h -> reasons.add(h.path("reason").asText()));
    return reasons;
  }

  String log() {
    return read(log);
  }

  /** The log entries (first line and continuation lines) at LEVEL in TEXT. */
  static List<String> entries(String text, String level) {
    List<String> out = new ArrayList<>();
    StringBuilder current = null;
    for (String line : text.split("\n", -1)) {
      var m = ENTRY.matcher(line);
      if (m.find()) {
        if (current != null) {
          out.add(current.toString());
        }
        current = m.group(1).equals(level) ? new StringBuilder(line) : null;
      } else if (current != null) {
        current.append('\n').append(line);
      }
    }
    if (current != null) {
      out.add(current.toString());
    }
    return out;
  }

  /** Waits for CONDITION, failing after LIMIT, or at once when the agent has exited. */
  void await(Process agent, String what, Duration limit, Check condition) throws Exception {
    long end = System.nanoTime() + limit.toNanos();
    while (!condition.holds()) {
      if (agent != null && !agent.isAlive()) {
        throw new AssertionError("the agent exited with " + agent.exitValue() + " while waiting for " + what
            + "; agent log:\n" + log());
      }
      if (System.nanoTime() > end) {
        throw new AssertionError("timed out after " + limit.toSeconds() + " s waiting for " + what
            + "; agent log:\n" + log());
      }
      Thread.sleep(100);
    }
  }

  void await(String what, Duration limit, BooleanSupplier condition) throws Exception {
    await(null, what, limit, condition::getAsBoolean);
  }

  /** A condition that may run the jar to find out. */
  interface Check {
    boolean holds() throws Exception;
  }

  /** Sends SIGNAL (TERM, INT, HUP) to the process with kill. */
  static void signal(Process p, String signal) throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).inheritIO().start();
    assertTrue(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0, "kill -" + signal + " failed");
  }

  /**
   * Sends SIGNAL and returns how long the process took to exit after it, measured from just before the
   * signal; fails when it is still running after LIMIT.
   */
  Duration exitTime(Process p, String signal, Duration limit) throws IOException, InterruptedException {
    long before = System.nanoTime();
    signal(p, signal);
    if (!p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("the agent was still running " + limit.toSeconds() + " s after SIG" + signal
          + "; agent log:\n" + log());
    }
    return Duration.ofNanos(System.nanoTime() - before);
  }

  /** Whether the process ignores SIGNUMBER (inherited from whoever started the build, as nohup does). */
  static boolean ignores(Process p, int signalNumber) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(p.pid()), "status"))) {
      if (line.startsWith("SigIgn:")) {
        long mask = Long.parseUnsignedLong(line.substring("SigIgn:".length()).trim(), 16);
        return (mask & (1L << (signalNumber - 1))) != 0;
      }
    }
    return false;
  }

  /** Kills whatever this test started and left running. */
  @Override
  public void close() throws InterruptedException {
    for (Process p : processes) {
      if (p.isAlive()) {
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (IOException e) {
      return "";
    }
  }
}
