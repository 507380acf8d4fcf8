package org.flowwatch.engine.compute;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.flowwatch.config.PrivateFiles;

/**
 * Runs one function call in its own {@code python3} process through the endpoint's launcher, with
 * function_runner.py as the go-between: the request (source, function, args, kwargs) goes in a file,
 * the result (the return value, or the exception's type, message and traceback) comes back in another.
 * Files rather than stdout, because under {@code sbatch} the process's output goes where Slurm puts it,
 * and because a function may print anything.
 *
 * <p>When the interpreter gives up ({@code WaitTime}), the waiting thread is interrupted and
 * {@link TaskStopper} ends what the call started, Slurm jobs included.
 */
final class FunctionProcess {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String RUNNER = "function_runner.py";
  private static final int LOG_LINES = 40;
  private static final Pattern JOB_ID = Pattern.compile("^(\\d+)(;\\S+)?$", Pattern.MULTILINE);

  private final String python;

  FunctionProcess(String python) {
    this.python = python;
  }

  TaskOutcome run(LocalFunction function, JsonNode args, JsonNode kwargs, Launcher launcher, Path dir,
      Consumer<String> progress) throws IOException, InterruptedException {
    Path runner = dir.resolve(RUNNER);
    try (InputStream in = FunctionProcess.class.getResourceAsStream(RUNNER)) {
      if (in == null) {
        throw new IOException(RUNNER + " is missing from flowwatch's jar (a broken build)");
      }
      writePrivate(runner, in.readAllBytes());
    }
    Path request = dir.resolve("request.json");
    Path result = dir.resolve("result.json");
    ObjectNode body = JSON.createObjectNode();
    body.put("source", function.source().toString());
    body.put("function", function.name());
    body.set("args", args);
    body.set("kwargs", kwargs);
    writePrivate(request, JSON.writeValueAsBytes(body));

    List<String> command = new ArrayList<>(List.of(python, runner.toString(), request.toString(), result.toString()));
    Path jobLog = dir.resolve("job.log");
    Path submitLog = dir.resolve("sbatch.out");
    String jobName = "fw-" + function.name();
    ProcessBuilder builder = new ProcessBuilder(switch (launcher.kind()) {
      case DIRECT -> command;
      case SRUN -> concat(List.of("srun", "--job-name=" + jobName, "--nodes=1", "--ntasks=1"),
          launcher.options(), command);
      case SBATCH -> concat(List.of("sbatch", "--wait", "--parsable", "--job-name=" + jobName,
          "--output=" + jobLog), launcher.options(), List.of("--wrap=" + shellWords(command)));
    });
    builder.directory(dir.toFile());
    builder.environment().put("PYTHONUNBUFFERED", "1"); // the function's prints reach the log as they happen
    builder.environment().putAll(launcher.environment());
    String marker = dir.getFileName().toString() + "-" + ProcessHandle.current().pid();
    builder.environment().put(TaskStopper.MARKER, marker);
    builder.redirectErrorStream(true);
    if (launcher.kind() == Launcher.Kind.SBATCH) {
      builder.redirectOutput(submitLog.toFile());
    }
    Deque<String> log = new ArrayDeque<>();
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      return failed("LaunchFailed", "could not start " + builder.command().get(0) + " (" + launcher.kind()
          .name().toLowerCase() + " launcher): " + e.getMessage(), log);
    }
    // The output is read on a thread of its own but handed to progress on this one, so a progress
    // consumer never sees two threads.
    BlockingQueue<String> printed = new LinkedBlockingQueue<>();
    Thread reader = null;
    if (launcher.kind() != Launcher.Kind.SBATCH) {
      reader = new Thread(() -> read(process.getInputStream(), printed), "function-output-" + process.pid());
      reader.setDaemon(true);
      reader.start();
    }
    int exit;
    try {
      while (!process.waitFor(200, TimeUnit.MILLISECONDS)) {
        drain(printed, log, progress);
      }
      exit = process.exitValue();
    } catch (InterruptedException e) {
      TaskStopper.stop(process, marker, launcher.kind() == Launcher.Kind.SBATCH ? jobId(submitLog) : null,
          launcher.environment(), progress);
      drain(printed, log, progress);
      throw e;
    }
    if (reader != null) {
      reader.join(TimeUnit.SECONDS.toMillis(10));
      drain(printed, log, progress);
    } else {
      forwardFile(jobLog, log, progress);
      if (exit != 0) {
        forwardFile(submitLog, log, progress);
      }
    }
    if (!Files.exists(result)) {
      return failed("ProcessFailed", "the function's process (" + launcher.kind().name().toLowerCase()
          + " launcher) ended with exit code " + exit + " and no result; its last output is below", log);
    }
    JsonNode answer = JSON.readTree(result.toFile());
    if (answer.path("ok").asBoolean(false)) {
      return new TaskOutcome(answer.get("output"), null, List.copyOf(log));
    }
    List<String> frames = new ArrayList<>();
    answer.path("frames").forEach(f -> frames.add(f.asText()));
    return new TaskOutcome(JSON.nullNode(), new TaskOutcome.Failure(answer.path("type").asText("Exception"),
        answer.path("message").asText(""), frames), List.copyOf(log));
  }

  private static TaskOutcome failed(String type, String message, Deque<String> log) {
    return new TaskOutcome(JSON.nullNode(), new TaskOutcome.Failure(type, message, List.of()), List.copyOf(log));
  }

  @SafeVarargs
  private static List<String> concat(List<String>... parts) {
    List<String> all = new ArrayList<>();
    for (List<String> part : parts) {
      all.addAll(part);
    }
    return all;
  }

  /** One line for {@code sh -c}: every word in single quotes. */
  private static String shellWords(List<String> words) {
    StringBuilder line = new StringBuilder("exec");
    for (String word : words) {
      line.append(" '").append(word.replace("'", "'\\''")).append('\'');
    }
    return line.toString();
  }

  private static void read(InputStream out, BlockingQueue<String> printed) {
    try (BufferedReader lines = new BufferedReader(new InputStreamReader(out, StandardCharsets.UTF_8))) {
      String line;
      while ((line = lines.readLine()) != null) {
        printed.add(line);
      }
    } catch (IOException e) {
      printed.add("(the function's output could not be read further: " + e.getMessage() + ")");
    }
  }

  private static void drain(BlockingQueue<String> printed, Deque<String> log, Consumer<String> progress) {
    for (String line = printed.poll(); line != null; line = printed.poll()) {
      keep(log, line);
      progress.accept(line);
    }
  }

  private static void forwardFile(Path file, Deque<String> log, Consumer<String> progress) throws IOException {
    if (Files.exists(file)) {
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        keep(log, line);
        progress.accept(line);
      }
    }
  }

  private static void keep(Deque<String> log, String line) {
    log.addLast(line);
    while (log.size() > LOG_LINES) {
      log.removeFirst();
    }
  }

  private static String jobId(Path submitLog) {
    try {
      Matcher m = JOB_ID.matcher(Files.exists(submitLog) ? Files.readString(submitLog) : "");
      return m.find() ? m.group(1) : null;
    } catch (IOException e) {
      return null;
    }
  }

  private static void writePrivate(Path file, byte[] bytes) throws IOException {
    Files.createFile(file, PosixFilePermissions.asFileAttribute(PrivateFiles.OWNER_FILE));
    Files.write(file, bytes, StandardOpenOption.TRUNCATE_EXISTING);
  }

  /** A directory for one call's files, owner-only. */
  static Path taskDirectory(Path root) throws IOException {
    PrivateFiles.directory(root);
    return Files.createTempDirectory(root, "task-", PosixFilePermissions.asFileAttribute(PrivateFiles.OWNER_DIR));
  }
}
