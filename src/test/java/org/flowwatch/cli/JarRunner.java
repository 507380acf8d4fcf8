package org.flowwatch.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/** Runs the packaged jar as a user would, in a clean environment, and captures what it printed. */
final class JarRunner {
  private static final Pattern STACK_TRACE =
      Pattern.compile("(?m)^\\s+at [\\w$.]+\\(|Exception in thread|\\b[a-z]+(\\.[a-z0-9]+)+\\.[A-Z]\\w*(Exception|Error)\\b");

  record Result(int code, String out, String err) {
    /** Fails when stderr shows a Java stack trace or a raw exception class name. */
    Result assertNoStackTrace() {
      assertFalse(STACK_TRACE.matcher(err).find(), () -> "stack trace or exception name printed:\n" + err);
      assertFalse(STACK_TRACE.matcher(out).find(), () -> "stack trace or exception name on stdout:\n" + out);
      return this;
    }
  }

  private final Path jar;
  private final Path workDir;
  private final Map<String, String> env = new HashMap<>();
  private String stdin = "";
  private String umask;

  JarRunner(Path workDir) {
    this.jar = Path.of(System.getProperty("flowwatch.jar", "target/flowwatch.jar")).toAbsolutePath();
    this.workDir = workDir;
    // A clean environment: nothing of the developer's Globus set-up leaks into a test.
    env.put("PATH", System.getenv("PATH"));
    env.put("HOME", workDir.toString());
    env.put("XDG_STATE_HOME", workDir.resolve("state").toString());
    // Each test's agents lock among themselves, not in the host's /run/lock.
    env.put("FLOWWATCH_LOCK_DIR", workDir.resolve("locks").toString());
  }

  JarRunner env(String name, String value) {
    env.put(name, value);
    return this;
  }

  JarRunner stdin(String text) {
    this.stdin = text;
    return this;
  }

  /** Starts the jar in the background; its stdout and stderr go to files in the work directory. */
  Process start(Path log, String... args) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(command(args)).directory(workDir.toFile());
    pb.environment().clear();
    pb.environment().putAll(env);
    pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    return pb.start();
  }

  /** Runs the jar under UMASK (as {@code umask} takes it), set by a shell just before it starts. */
  JarRunner umask(String umask) {
    this.umask = umask;
    return this;
  }

  private List<String> command(String... args) {
    List<String> cmd = new ArrayList<>();
    if (umask != null) {
      cmd.addAll(List.of("/bin/sh", "-c", "umask " + umask + " && exec \"$0\" \"$@\""));
    }
    cmd.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString()));
    cmd.addAll(List.of(args));
    return cmd;
  }

  /** At most the first MiB of what was printed: a runaway output must fail its test, not the test JVM. */
  private static String head(Path file) throws IOException {
    try (var in = Files.newInputStream(file)) {
      byte[] bytes = in.readNBytes(1 << 20);
      String text = new String(bytes, StandardCharsets.UTF_8);
      return in.read() < 0 ? text : text + "\n[output cut at 1 MiB]";
    }
  }

  Result run(String... args) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(command(args)).directory(workDir.toFile());
    pb.environment().clear();
    pb.environment().putAll(env);
    // Captured outside the work directory: that may be the repository itself.
    Path out = Files.createTempFile("flowwatch-out", ".txt");
    Path err = Files.createTempFile("flowwatch-err", ".txt");
    pb.redirectOutput(out.toFile()).redirectError(err.toFile());
    Process p = pb.start();
    p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
    p.getOutputStream().close();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("flowwatch " + String.join(" ", args) + " did not finish in 60 s");
    }
    try {
      return new Result(p.exitValue(), head(out), head(err));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }
}
