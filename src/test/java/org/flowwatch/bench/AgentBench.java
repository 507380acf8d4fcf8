package org.flowwatch.bench;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.flowwatch.ledger.Ledger;
import org.flowwatch.ledger.RunState;
import org.flowwatch.run.TreeSnapshot;
import org.flowwatch.testing.FakeFlows;

/**
 * Measures the agent (the packaged jar, as a separate process) against a local fake Flows service:
 * detection latency in event mode, catch-up of 10,000 directories, idle cost, a burst of 1,000 starts,
 * and one settle check of a 100,000-file directory. Run it with bench/run.sh; figures go to stdout.
 */
public final class AgentBench {
  private final Path work;
  private final Path jar;
  private final FakeFlows fake = new FakeFlows();
  private final WireMockServer server;

  private AgentBench(Path work, Path jar) {
    this.work = work;
    this.jar = jar;
    server = new WireMockServer(WireMockConfiguration.wireMockConfig().dynamicPort().containerThreads(20)
        .extensions(fake));
  }

  public static void main(String[] args) throws Exception {
    Path work = Files.createTempDirectory(Path.of(args.length > 1 ? args[1] : "/tmp"), "fw-bench");
    AgentBench bench = new AgentBench(work, Path.of("target/flowwatch.jar").toAbsolutePath());
    bench.server.start();
    bench.server.stubFor(com.github.tomakehurst.wiremock.client.WireMock.any(
        com.github.tomakehurst.wiremock.client.WireMock.anyUrl()).willReturn(
        com.github.tomakehurst.wiremock.client.WireMock.aResponse().withStatus(404)));
    String which = args.length > 0 ? args[0] : "all";
    try {
      if (which.equals("all") || which.equals("latency")) {
        bench.latency(200);
      }
      if (which.equals("all") || which.equals("catchup")) {
        bench.catchUpAndIdle(10_000, 10);
      }
      if (which.equals("all") || which.equals("burst")) {
        bench.burst(1000, 20);
      }
      if (which.equals("all") || which.equals("bigdir")) {
        bench.bigDirectory(100_000);
      }
    } catch (Exception e) {
      for (Path log : Files.newDirectoryStream(work, "*.log")) {
        System.out.println("--- " + log.getFileName());
        List<String> lines = Files.readAllLines(log);
        lines.subList(Math.max(0, lines.size() - 30), lines.size()).forEach(System.out::println);
      }
      throw e;
    } finally {
      bench.server.stop();
      deleteTree(work);
    }
  }

  // --- scenarios ---------------------------------------------------------------------------------

  private void latency(int runs) throws Exception {
    Path watch = fresh("latency");
    config(watch, "readiness: [sentinel]\n  sentinel: .done\n  scan_interval: 30s\n  max_active_runs: 100000\n"
        + "  max_starts_per_minute: 100000");
    Process agent = agent(watch, "latency");
    awaitLog("latency", "watching", Duration.ofSeconds(30));
    List<Long> micros = new ArrayList<>();
    for (int i = 0; i < runs; i++) {
      String key = String.format("run%05d", i);
      Path dir = Files.createDirectories(watch.resolve(key));
      Files.writeString(dir.resolve("data.evt"), "x");
      Thread.sleep(30); // let the directory's own events pass
      Instant t0 = Instant.now();
      Files.createFile(dir.resolve(".done"));
      await(() -> fake.runs().size() == micros.size() + 1, Duration.ofSeconds(30));
      micros.add(Duration.between(t0, fake.runs().get(micros.size()).receivedAt()).toNanos() / 1000);
    }
    stop(agent);
    Collections.sort(micros);
    System.out.printf("latency: sentinel created -> POST received, event mode, %d runs: p50 %.1f ms, p90 %.1f ms,"
        + " p99 %.1f ms, max %.1f ms%n", runs, pct(micros, 50), pct(micros, 90), pct(micros, 99),
        micros.get(micros.size() - 1) / 1000.0);
  }

  private void catchUpAndIdle(int dirs, int files) throws Exception {
    Path watch = fresh("catchup");
    long t = System.nanoTime();
    for (int i = 0; i < dirs; i++) {
      Path d = Files.createDirectories(watch.resolve(String.format("run%05d", i)));
      for (int f = 0; f < files; f++) {
        Files.writeString(d.resolve(String.format("run-%05d-%02d.evt", i, f)), "segment");
      }
    }
    System.out.printf("catch-up: created %d run directories of %d files in %.1f s%n", dirs, files,
        (System.nanoTime() - t) / 1e9);

    // Waiting for a sentinel that never comes: every directory is evaluated and stays SETTLING.
    config(watch, "readiness: [settle, sentinel]\n  sentinel: .done\n  trigger_delay: 30s\n  scan_interval: 10s");
    Instant start = Instant.now();
    Process agent = agent(watch, "catchup");
    Path ledger = work.resolve("catchup-state/ledger.db");
    // Timed by the agent's own log: each transition line is stamped when it was committed, and watching the
    // log (rather than querying the ledger) leaves the agent's database alone while it works.
    Path log = work.resolve("catchup.log");
    while (lines(log, " SETTLING: ").size() < dirs) {
      if (!agent.isAlive() || Duration.between(start, Instant.now()).toMinutes() > 5) {
        throw new IllegalStateException("catch-up did not finish");
      }
      Thread.sleep(250); // reading the growing log costs the bench, not the agent, but keep it light
    }
    List<String> settling = lines(log, " SETTLING: ");
    Instant last = Instant.parse(settling.get(settling.size() - 1).split(" ", 2)[0]);
    System.out.printf("catch-up: %d pre-existing directories all evaluated (SETTLING in the ledger) %.2f s after"
        + " the agent process was started (JVM start included)%n", dirs, Duration.between(start, last).toMillis()
        / 1000.0);
    // Start-up is not idle: the event watcher registers every directory after the first pass, and the JIT
    // compiles the scan's hot code during the first minute.
    Thread.sleep(90_000);
    idle(agent, dirs + " directories waiting for a sentinel");
    stop(agent);

    // The same directories, all finished: what a long experiment's agent mostly looks at.
    try (Ledger l = Ledger.open(ledger, null, Clock.systemUTC())) {
      List<org.flowwatch.ledger.Transition> done = new ArrayList<>();
      for (int i = 0; i < dirs; i++) {
        done.add(org.flowwatch.ledger.Transition.of(String.format("run%05d", i), RunState.SUCCEEDED));
      }
      l.apply(done);
    }
    agent = agent(watch, "catchup");
    awaitLog("catchup", "watching", Duration.ofSeconds(60));
    Thread.sleep(90_000); // start-up (registering inotify watches, JIT) is not idle time
    idle(agent, dirs + " finished directories");
    stop(agent);
  }

  private void idle(Process agent, String what) throws Exception {
    long pid = agent.pid();
    long before = cpuTicks(pid);
    Thread.sleep(60_000);
    long after = cpuTicks(pid);
    System.out.printf("idle: %s, 60 s with nothing happening: %.2f CPU-s, peak RSS %d MB%n", what,
        (after - before) / 100.0, peakRssKb(pid) / 1024);
  }

  private void burst(int dirs, int answerMillis) throws Exception {
    Path watch = fresh("burst");
    for (int i = 0; i < dirs; i++) {
      Files.writeString(Files.createDirectories(watch.resolve(String.format("run%05d", i))).resolve("a.evt"), "x");
    }
    fake.startDelay(answerMillis);
    fake.status("ACTIVE");
    config(watch, "readiness: [manifest]\n  manifest: {count: 1}\n  scan_interval: 10s\n  max_active_runs: 100000\n"
        + "  max_starts_per_minute: 100000");
    Instant start = Instant.now();
    Process agent = agent(watch, "burst");
    await(() -> fake.runs().size() == dirs, Duration.ofMinutes(10));
    Duration took = Duration.between(start, fake.runs().get(dirs - 1).receivedAt());
    Duration firstToLast = Duration.between(fake.runs().get(0).receivedAt(), fake.runs().get(dirs - 1).receivedAt());
    stop(agent);
    System.out.printf("burst: %d ready directories, stub answering in %d ms: all started %.1f s after the agent"
        + " process started (first to last POST %.1f s, %.1f starts/s)%n", dirs, answerMillis,
        took.toMillis() / 1000.0, firstToLast.toMillis() / 1000.0, dirs / (firstToLast.toMillis() / 1000.0));
    fake.startDelay(0);
    fake.status("SUCCEEDED");
  }

  private void bigDirectory(int files) throws Exception {
    Path dir = fresh("bigdir").resolve("run00001");
    Files.createDirectories(dir);
    for (int i = 0; i < files; i++) {
      Path sub = dir.resolve(String.format("d%03d", i / 1000));
      if (i % 1000 == 0) {
        Files.createDirectories(sub);
      }
      Files.writeString(sub.resolve(String.format("f%06d.evt", i)), "x");
    }
    try (RandomAccessFile f = new RandomAccessFile(dir.resolve("huge.evt").toFile(), "rw")) {
      f.setLength(2L << 30);
    }
    TreeSnapshot.take(dir, null); // warm the JIT and the dentry cache
    long rchar = readChars();
    long t = System.nanoTime();
    int rounds = 5;
    TreeSnapshot snap = null;
    for (int r = 0; r < rounds; r++) {
      snap = TreeSnapshot.take(dir, "*.evt");
    }
    double each = (System.nanoTime() - t) / 1e9 / rounds;
    long read = readChars() - rchar;
    System.out.printf("big directory: %d files + one 2 GB file: one settle check takes %.3f s; bytes read by"
        + " read() during %d checks: %d (the 2 GB file is never read; %d bytes total size seen)%n",
        snap.files(), each, rounds, read, snap.bytes());
  }

  // --- helpers -----------------------------------------------------------------------------------

  private Path fresh(String name) throws IOException {
    fake.reset();
    return Files.createDirectories(work.resolve(name));
  }

  private void config(Path watch, String watchSection) throws IOException {
    Files.writeString(work.resolve("schema.json"), "{\"type\": \"object\"}");
    Files.writeString(work.resolve(watch.getFileName() + ".yaml"), """
        collections:
          dtn: {id: 9656eff2-8105-445c-8501-154dfe1d88e5, local_root: %s}
        flow:
          id: babd88e5-d31d-48c7-b3a0-b765389b5c22
          schema: schema.json
        run_directory:
          pattern: 'run(?<number>\\d+)'
        watch:
          %s
        input:
          source: {id: "{run.collection_id}", path: "{run.globus_path}"}
        """.formatted(watch, watchSection));
  }

  private Process agent(Path watch, String name) throws IOException {
    String url = "http://localhost:" + server.port();
    // Through the launcher script, with the JVM options users get.
    ProcessBuilder pb = new ProcessBuilder(jar.getParent().getParent().resolve("flowwatch").toString(), "--config", work.resolve(name + ".yaml").toString(), "--watchdir", watch.toString(),
        "--state-dir", work.resolve(name + "-state").toString(), "--status-poll=PT1H");
    pb.environment().putAll(Map.of("GLOBUS_SDK_SERVICE_URL_AUTH", url, "GLOBUS_SDK_SERVICE_URL_FLOWS", url,
        "GLOBUS_CLIENT_ID", "bench", "GLOBUS_CLIENT_SECRET", "bench"));
    pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(work.resolve(name + ".log").toFile()));
    return pb.start();
  }

  private void awaitLog(String name, String text, Duration limit) throws Exception {
    await(() -> {
      try {
        return Files.readString(work.resolve(name + ".log")).contains(text);
      } catch (IOException e) {
        return false;
      }
    }, limit);
  }

  private static void stop(Process p) throws InterruptedException {
    p.destroy();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
    }
  }

  private static List<String> lines(Path file, String containing) {
    try {
      return Files.readAllLines(file).stream().filter(l -> l.contains(containing)).toList();
    } catch (IOException e) {
      return List.of();
    }
  }

  private static void await(BooleanSupplier condition, Duration limit) throws InterruptedException {
    Instant end = Instant.now().plus(limit);
    while (!condition.getAsBoolean()) {
      if (Instant.now().isAfter(end)) {
        throw new IllegalStateException("timed out after " + limit);
      }
      Thread.sleep(2);
    }
  }

  private static double pct(List<Long> sortedMicros, int p) {
    int i = (int) Math.ceil(p / 100.0 * sortedMicros.size()) - 1;
    return sortedMicros.get(Math.max(0, i)) / 1000.0;
  }

  /** utime + stime of a process, in clock ticks (100 per second on Linux). */
  private static long cpuTicks(long pid) throws IOException {
    String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return Long.parseLong(f[11]) + Long.parseLong(f[12]);
  }

  private static long peakRssKb(long pid) throws IOException {
    return Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream().filter(l -> l.startsWith("VmHWM:"))
        .map(l -> Long.parseLong(l.replaceAll("\\D", ""))).findFirst().orElse(-1L);
  }

  private static long readChars() throws IOException {
    return Files.readAllLines(Path.of("/proc/self/io")).stream().filter(l -> l.startsWith("rchar:"))
        .map(l -> Long.parseLong(l.replaceAll("\\D", ""))).findFirst().orElse(-1L);
  }

  private static void deleteTree(Path root) throws IOException {
    new ProcessBuilder("rm", "-rf", root.toString()).inheritIO().start().onExit().join();
  }
}
