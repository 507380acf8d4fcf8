package org.flowwatch.engine.compute;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.flowwatch.engine.ActionContext;
import org.flowwatch.engine.ActionProvider;
import org.flowwatch.engine.ActionStatus;
import org.flowwatch.engine.ActionUnableToRunException;

/**
 * The Globus Compute action provider on this machine: each task's {@code function_id} names a function
 * of a local Python file ({@link LocalFunction}), run in a {@code python3} process through its
 * endpoint's {@link Launcher}. The answer has the hosted provider's shape: {@code details.result} (the
 * return values in task order) and {@code details.results} ({@code [{task_id, output}]}); the action id is
 * {@code tg_<task group id>}.
 *
 * <p>Serves {@code .../v3} ({@code endpoint_id}, {@code tasks: [{function_id, args, kwargs}]}) and the
 * older {@code https://compute.actions.globus.org} ({@code endpoint}, {@code function}, {@code args},
 * {@code kwargs} or {@code payload}, and/or {@code tasks: [{endpoint, function, ...}]}) that the FRIB
 * definition used. Tasks run one after the other, and the first that raises ends the action FAILED with
 * the exception's type, message and the last frames of its traceback in {@code details.error}; tasks
 * after it do not run (the hosted endpoint would run them side by side; here a failure stops early).
 */
public final class LocalComputeProvider implements ActionProvider {
  public static final String V3 = "https://compute.actions.globus.org/v3";
  public static final String V2 = "https://compute.actions.globus.org";
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private static final int TRACEBACK_FRAMES = 6;

  private final Map<String, LocalFunction> functions;
  private final Map<String, Launcher> endpoints;
  private final Path workRoot;
  private final FunctionProcess process;

  /**
   * @param functions function id (as definitions and the config write it) to the function it runs
   * @param endpoints endpoint id to its launcher; a task for an endpoint not here cannot run
   * @param workRoot where each call's request, result and log files are made (and removed after); under
   *     {@code srun} and {@code sbatch} it must be on a file system the Slurm nodes share
   * @param python the Python interpreter, e.g. {@code python3}
   */
  public LocalComputeProvider(Map<String, LocalFunction> functions, Map<String, Launcher> endpoints,
      Path workRoot, String python) {
    this.functions = lowerKeys(functions);
    this.endpoints = lowerKeys(endpoints);
    this.workRoot = Objects.requireNonNull(workRoot, "workRoot");
    this.process = new FunctionProcess(Objects.requireNonNull(python, "python"));
  }

  // UUIDs are compared without regard to case: a definition may write them either way.
  private static <V> Map<String, V> lowerKeys(Map<String, V> map) {
    Map<String, V> lower = new LinkedHashMap<>();
    map.forEach((k, v) -> lower.put(k.toLowerCase(Locale.ROOT), Objects.requireNonNull(v, k)));
    return Map.copyOf(lower);
  }

  @Override
  public Set<String> urls() {
    return Set.of(V3, V2);
  }

  /** One call to make: a function, its arguments, and where it runs. */
  private record Task(String functionId, LocalFunction function, String endpointId, Launcher launcher,
      JsonNode args, JsonNode kwargs) {}

  @Override
  public ActionStatus run(String url, JsonNode parameters, ActionContext context)
      throws ActionUnableToRunException, InterruptedException {
    String trimmed = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    if (!urls().contains(trimmed)) {
      throw new ActionUnableToRunException(url + " is not a Compute action this local provider serves; it serves "
          + V3 + " and " + V2);
    }
    String where = context.state() + " (Compute)";
    if (parameters == null || !parameters.isObject()) {
      throw new ActionUnableToRunException(where + ": Parameters must be an object");
    }
    List<Task> tasks = trimmed.equals(V3) ? v3Tasks(parameters, where) : v2Tasks(parameters, where);
    String group = UUID.randomUUID().toString();
    Instant started = Instant.now();
    ArrayNode result = JSON.arrayNode();
    ArrayNode results = JSON.arrayNode();
    ObjectNode details = JSON.objectNode();
    details.set("result", result);
    details.set("results", results);
    details.put("task_group_id", group);
    for (int i = 0; i < tasks.size(); i++) {
      Task task = tasks.get(i);
      String taskId = UUID.randomUUID().toString();
      context.progress().accept("task " + (i + 1) + " of " + tasks.size() + ": " + task.function().name() + " from "
          + task.function().source() + " on endpoint " + task.endpointId() + " ("
          + task.launcher().kind().name().toLowerCase(Locale.ROOT) + ")");
      TaskOutcome outcome = call(task, context, where);
      if (!outcome.ok()) {
        String error = describe(task, outcome);
        context.progress().accept(error.lines().findFirst().orElse(error));
        ObjectNode exception = details.putObject("exception");
        exception.put("task_id", taskId);
        exception.put("function_id", task.functionId());
        exception.put("type", outcome.failure().type());
        exception.put("message", outcome.failure().message());
        exception.put("traceback", String.join("", outcome.failure().frames()));
        details.put("error", error);
        return new ActionStatus("tg_" + group, ActionStatus.FAILED, details, started, Instant.now());
      }
      result.add(outcome.output());
      ObjectNode entry = results.addObject();
      entry.put("task_id", taskId);
      entry.set("output", outcome.output());
    }
    return new ActionStatus("tg_" + group, ActionStatus.SUCCEEDED, details, started, Instant.now());
  }

  private TaskOutcome call(Task task, ActionContext context, String where)
      throws ActionUnableToRunException, InterruptedException {
    Path dir;
    try {
      dir = FunctionProcess.taskDirectory(workRoot);
    } catch (IOException e) {
      throw new ActionUnableToRunException(where + ": could not make a work directory under " + workRoot + ": "
          + e.getMessage());
    }
    try {
      return process.run(task.function(), task.args(), task.kwargs(), task.launcher(), dir, context.progress());
    } catch (IOException e) {
      return new TaskOutcome(JSON.nullNode(), new TaskOutcome.Failure("IOError", "could not run "
          + task.function().name() + " from " + task.function().source() + ": " + e.getMessage(), List.of()),
          List.of());
    } finally {
      removeQuietly(dir, context);
    }
  }

  /** The failure as the flow's error shows it: what raised, its message, where, and the last output. */
  private static String describe(Task task, TaskOutcome outcome) {
    TaskOutcome.Failure failure = outcome.failure();
    StringBuilder text = new StringBuilder();
    text.append(task.function().name()).append(" (function ").append(task.functionId()).append(", ")
        .append(task.function().source()).append(") raised ").append(failure.type()).append(": ")
        .append(failure.message());
    List<String> frames = failure.frames();
    if (!frames.isEmpty()) {
      text.append("\nTraceback (last ").append(Math.min(frames.size(), TRACEBACK_FRAMES)).append(" of ")
          .append(frames.size()).append(" frames):\n");
      frames.subList(Math.max(0, frames.size() - TRACEBACK_FRAMES), frames.size()).forEach(text::append);
    } else if (!outcome.log().isEmpty()) {
      text.append("\nlast output:\n").append(String.join("\n", outcome.log()));
    }
    return text.toString().stripTrailing();
  }

  private List<Task> v3Tasks(JsonNode p, String where) throws ActionUnableToRunException {
    String endpoint = text(p, "endpoint_id", where);
    JsonNode list = p.get("tasks");
    if (list == null || !list.isArray() || list.isEmpty()) {
      throw new ActionUnableToRunException(where + ": tasks must be a non-empty list of {function_id, args,"
          + " kwargs}");
    }
    List<Task> tasks = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      JsonNode t = list.get(i);
      String at = where + " tasks[" + i + "]";
      if (!t.isObject()) {
        throw new ActionUnableToRunException(at + " must be an object {function_id, args, kwargs}");
      }
      tasks.add(task(text(t, "function_id", at), endpoint, t.get("args"), t.get("kwargs"), at, true));
    }
    return tasks;
  }

  private List<Task> v2Tasks(JsonNode p, String where) throws ActionUnableToRunException {
    List<Task> tasks = new ArrayList<>();
    String endpoint = p.hasNonNull("endpoint") ? text(p, "endpoint", where) : null;
    if (p.hasNonNull("function")) {
      if (endpoint == null) {
        throw new ActionUnableToRunException(where + ": endpoint is missing (the Compute endpoint the function"
            + " runs on)");
      }
      tasks.add(task(text(p, "function", where), endpoint, p.get("args"), kwargs(p), where, false));
    }
    JsonNode list = p.get("tasks");
    if (list != null && !list.isNull()) {
      if (!list.isArray()) {
        throw new ActionUnableToRunException(where + ": tasks must be a list of {endpoint, function, args, kwargs}");
      }
      for (int i = 0; i < list.size(); i++) {
        JsonNode t = list.get(i);
        String at = where + " tasks[" + i + "]";
        String own = t.hasNonNull("endpoint") ? text(t, "endpoint", at) : endpoint;
        if (own == null) {
          throw new ActionUnableToRunException(at + ": endpoint is missing");
        }
        tasks.add(task(text(t, "function", at), own, t.get("args"), kwargs(t), at, false));
      }
    }
    if (tasks.isEmpty()) {
      throw new ActionUnableToRunException(where + ": give function (with endpoint) or tasks");
    }
    return tasks;
  }

  private static JsonNode kwargs(JsonNode task) {
    return task.hasNonNull("kwargs") ? task.get("kwargs") : task.get("payload");
  }

  private Task task(String functionId, String endpointId, JsonNode args, JsonNode kwargs, String at,
      boolean strictArgs) throws ActionUnableToRunException {
    LocalFunction function = functions.get(functionId.toLowerCase(Locale.ROOT));
    if (function == null) {
      throw new ActionUnableToRunException(at + ": function " + functionId + " has no local source; functions"
          + " known here: " + known(functions.keySet()) + " (from the config's compute.functions and their ids)");
    }
    Launcher launcher = endpoints.get(endpointId.toLowerCase(Locale.ROOT));
    if (launcher == null) {
      throw new ActionUnableToRunException(at + ": endpoint " + endpointId + " has no local launcher; endpoints"
          + " known here: " + known(endpoints.keySet()) + " (from the config's compute.endpoints)");
    }
    JsonNode argList;
    if (args == null || args.isNull()) {
      argList = JSON.arrayNode();
    } else if (args.isArray()) {
      argList = args;
    } else if (strictArgs) {
      throw new ActionUnableToRunException(at + ": args must be a list, not " + args);
    } else {
      // The older provider took a single argument without a list around it.
      argList = JSON.arrayNode().add(args);
    }
    if (kwargs != null && !kwargs.isNull() && !kwargs.isObject()) {
      throw new ActionUnableToRunException(at + ": kwargs must be an object, not " + kwargs);
    }
    return new Task(functionId, function, endpointId, launcher, argList,
        kwargs == null || kwargs.isNull() ? JSON.objectNode() : kwargs);
  }

  private static String known(Set<String> ids) {
    return ids.isEmpty() ? "none" : String.join(", ", new TreeSet<>(ids));
  }

  private static String text(JsonNode node, String field, String where) throws ActionUnableToRunException {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      throw new ActionUnableToRunException(where + ": " + field + " is missing");
    }
    if (!value.isTextual() || value.asText().isBlank()) {
      throw new ActionUnableToRunException(where + ": " + field + " must be an id string, not " + value);
    }
    return value.asText();
  }

  private static void removeQuietly(Path dir, ActionContext context) {
    try {
      Files.walkFileTree(dir, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
          Files.delete(file);
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
          Files.delete(d);
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException e) {
      context.progress().accept("could not remove the work directory " + dir + ": " + e.getMessage());
    }
  }
}
