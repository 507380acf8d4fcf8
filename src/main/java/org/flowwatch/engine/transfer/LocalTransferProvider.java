package org.flowwatch.engine.transfer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.flowwatch.engine.ActionContext;
import org.flowwatch.engine.ActionProvider;
import org.flowwatch.engine.ActionStatus;
import org.flowwatch.engine.ActionUnableToRunException;

/**
 * The Transfer action providers ({@code transfer}, {@code mkdir}, {@code stat}, {@code ls},
 * {@code delete}, {@code collection_info}) on local directories: each collection id of the run maps to a
 * directory ({@link ActionContext#collections()}), and the answers are shaped like the hosted providers' so the
 * shipped flows' Choices and Catches take the same paths. Also serves the retired
 * {@code actions.globus.org/transfer/*} and {@code actions.automate.globus.org/transfer/*} URLs that older
 * definitions (FRIB's own among them) still name, with their parameter names.
 */
public final class LocalTransferProvider implements ActionProvider {
  public static final String CURRENT = "https://transfer.actions.globus.org/";
  private static final List<String> LEGACY = List.of("https://actions.globus.org/transfer/",
      "https://actions.automate.globus.org/transfer/");
  private static final List<String> OPERATIONS = List.of("transfer", "mkdir", "stat", "ls", "delete",
      "collection_info");
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  @Override
  public Set<String> urls() {
    Set<String> urls = new LinkedHashSet<>();
    for (String op : OPERATIONS) {
      urls.add(CURRENT + op);
    }
    for (String base : LEGACY) {
      for (String op : List.of("transfer", "mkdir", "ls", "delete")) {
        urls.add(base + op);
      }
    }
    return Set.copyOf(urls);
  }

  @Override
  public ActionStatus run(String url, JsonNode parameters, ActionContext context)
      throws ActionUnableToRunException, InterruptedException {
    String trimmed = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    if (!urls().contains(trimmed)) {
      throw new ActionUnableToRunException(url + " is not a Transfer action this local provider serves; it"
          + " serves " + String.join(", ", new TreeSet<>(urls())));
    }
    String operation = trimmed.substring(trimmed.lastIndexOf('/') + 1);
    boolean legacy = !trimmed.startsWith(CURRENT);
    CollectionRoots roots = new CollectionRoots(context.collections());
    Parameters p = new Parameters(parameters, context.state() + " (" + operation + ")");
    Instant started = Instant.now();
    String actionId = UUID.randomUUID().toString();
    return switch (operation) {
      case "transfer" -> transfer(p, roots, context, actionId, started);
      case "mkdir" -> PathActions.mkdir(p, roots, actionId, started);
      case "stat" -> PathActions.stat(p, roots, actionId, started);
      case "ls" -> PathActions.ls(p, roots, legacy, actionId, started);
      case "delete" -> delete(p, roots, context, actionId, started);
      case "collection_info" -> PathActions.collectionInfo(p, roots, actionId, started);
      default -> throw new IllegalStateException("urls() lists " + url + " but run() has no case for it");
    };
  }

  private ActionStatus transfer(Parameters p, CollectionRoots roots, ActionContext context, String taskId,
      Instant started) throws ActionUnableToRunException, InterruptedException {
    String sourceId = p.requiredText("source_endpoint", "source_endpoint_id");
    String destinationId = p.requiredText("destination_endpoint", "destination_endpoint_id");
    JsonNode data = p.get("DATA", "transfer_items");
    if (data == null || !data.isArray() || data.isEmpty()) {
      throw new ActionUnableToRunException(p.action() + ": DATA must be a non-empty list of {source_path,"
          + " destination_path, recursive} items (Transfer refuses a task with no items)");
    }
    List<TransferItem> items = new ArrayList<>();
    for (int i = 0; i < data.size(); i++) {
      JsonNode item = data.get(i);
      String where = "DATA[" + i + "]";
      Parameters itemParameters = new Parameters(item, p.action() + " " + where);
      CollectionPath source = roots.resolve(sourceId, itemParameters.requiredText("source_path"),
          where + ".source_path");
      CollectionPath destination = roots.resolve(destinationId, itemParameters.requiredText("destination_path"),
          where + ".destination_path");
      items.add(new TransferItem(source, destination, Parameters.optionalBool(item.get("recursive"),
          where + ".recursive")));
    }
    List<FilterRule> rules = FilterRule.parse(p.get("filter_rules"));
    SyncLevel sync = SyncLevel.parse(p.get("sync_level"));
    boolean verify = p.bool("verify_checksum", false);
    boolean deleteExtra = p.bool("delete_destination_extra", false);
    TransferExecution execution = new TransferExecution(rules, sync, verify, deleteExtra, context.progress());
    TransferFailure failure = null;
    try {
      execution.run(items);
    } catch (TransferFailure e) {
      failure = e;
      context.progress().accept("transfer failed: " + e.getMessage());
    }
    Instant completed = Instant.now();
    ObjectNode task = taskDocument("TRANSFER", taskId, p, started, completed, failure);
    task.put("source_endpoint", sourceId);
    task.put("source_endpoint_id", sourceId);
    task.put("destination_endpoint", destinationId);
    task.put("destination_endpoint_id", destinationId);
    TransferCounts counts = execution.counts();
    task.put("files", counts.files);
    task.put("directories", counts.directories);
    task.put("files_transferred", counts.filesTransferred);
    task.put("files_skipped", counts.filesSkipped);
    task.put("bytes_transferred", counts.bytesTransferred);
    task.put("bytes_checksummed", execution.bytesChecksummed());
    long seconds = Math.max(1, completed.getEpochSecond() - started.getEpochSecond());
    task.put("effective_bytes_per_second", counts.bytesTransferred / seconds);
    task.set("sync_level", sync == null ? JSON.nullNode() : JSON.numberNode(sync.ordinal()));
    task.put("verify_checksum", verify);
    task.put("delete_destination_extra", deleteExtra);
    task.put("preserve_timestamp", true);
    task.put("encrypt_data", p.get("encrypt_data") != null && p.get("encrypt_data").asBoolean());
    task.set("filter_rules", TransferDocuments.orNull(p.get("filter_rules")));
    task.put("recursive_symlinks", "ignore");
    task.put("subtasks_total", items.size());
    task.put("subtasks_succeeded", failure == null ? items.size() : 0);
    task.put("subtasks_failed", failure == null ? 0 : 1);
    return new ActionStatus(taskId, failure == null ? ActionStatus.SUCCEEDED : ActionStatus.FAILED, task,
        started, completed);
  }

  /** The fields every Transfer task document has, for a task that ran here to its end. */
  private static ObjectNode taskDocument(String type, String taskId, Parameters p, Instant started,
      Instant completed, TransferFailure failure) {
    ObjectNode task = JSON.objectNode();
    task.put("DATA_TYPE", "task");
    task.put("task_id", taskId);
    task.put("type", type);
    task.put("status", failure == null ? "SUCCEEDED" : "FAILED");
    JsonNode label = p.get("label");
    task.put("label", label == null ? "For Action id " + taskId : label.asText());
    task.put("command", "API 0.10");
    task.put("request_time", started.toString());
    task.put("completion_time", completed.toString());
    task.put("is_ok", failure == null);
    task.put("is_paused", false);
    task.put("nice_status", failure == null ? "OK" : failure.code());
    task.put("nice_status_short_description", failure == null ? "OK" : failure.getMessage());
    task.put("faults", failure == null ? 0 : 1);
    task.set("event_list", JSON.arrayNode());
    if (failure == null) {
      task.putNull("fatal_error");
    } else {
      ObjectNode fatal = task.putObject("fatal_error");
      fatal.put("code", failure.code());
      fatal.put("description", failure.getMessage());
    }
    return task;
  }

  private ActionStatus delete(Parameters p, CollectionRoots roots, ActionContext context, String taskId,
      Instant started) throws ActionUnableToRunException, InterruptedException {
    String collection = p.requiredText("endpoint", "endpoint_id");
    JsonNode data = p.get("DATA", "items");
    if (data == null || !data.isArray() || data.isEmpty()) {
      throw new ActionUnableToRunException(p.action() + ": DATA must be a non-empty list of {path} items");
    }
    boolean recursive = p.bool("recursive", false);
    boolean ignoreMissing = p.bool("ignore_missing", false);
    List<CollectionPath> paths = new ArrayList<>();
    for (int i = 0; i < data.size(); i++) {
      JsonNode item = data.get(i);
      String text = item.isTextual() ? item.asText() : new Parameters(item, p.action() + " DATA[" + i + "]")
          .requiredText("path");
      CollectionPath path = roots.resolve(collection, text, "DATA[" + i + "].path");
      if (path.path().equals("/")) {
        throw new ActionUnableToRunException(p.action() + ": DATA[" + i + "].path is the root of collection "
            + collection + "; deleting a whole collection is refused");
      }
      paths.add(path);
    }
    long files = 0;
    long directories = 0;
    TransferFailure failure = null;
    for (CollectionPath path : paths) {
      if (Thread.interrupted()) {
        throw new InterruptedException("delete stopped before " + path.path());
      }
      try {
        boolean isDirectory = Files.isDirectory(path.local(), LinkOption.NOFOLLOW_LINKS);
        if (isDirectory && !recursive) {
          failure = new TransferFailure("IS_A_DIRECTORY", path.path() + " in collection " + collection + " is a"
              + " directory; set recursive: true to delete it with its contents");
          break;
        }
        long removed = Trees.delete(path.local());
        if (isDirectory) {
          directories++;
          files += removed - 1;
        } else {
          files++;
        }
      } catch (NoSuchFileException e) {
        if (!ignoreMissing) {
          failure = new TransferFailure("FILE_NOT_FOUND", path.path() + " does not exist in collection "
              + collection + " (set ignore_missing: true to allow that)");
          break;
        }
      } catch (IOException e) {
        failure = new TransferFailure("ENDPOINT_ERROR", "could not delete " + path.path() + " in collection "
            + collection + ": " + e.getClass().getSimpleName() + ": " + e.getMessage());
        break;
      }
    }
    Instant completed = Instant.now();
    context.progress().accept(failure == null ? "deleted " + files + " files and " + directories + " directories"
        : "delete failed: " + failure.getMessage());
    ObjectNode task = taskDocument("DELETE", taskId, p, started, completed, failure);
    task.put("source_endpoint", collection);
    task.put("source_endpoint_id", collection);
    task.put("files", files);
    task.put("directories", directories);
    task.put("recursive", recursive);
    task.put("ignore_missing", ignoreMissing);
    return new ActionStatus(taskId, failure == null ? ActionStatus.SUCCEEDED : ActionStatus.FAILED, task,
        started, completed);
  }

  static ActionStatus failed(String id, Instant started, ObjectNode details) {
    return new ActionStatus(id, ActionStatus.FAILED, details, started, Instant.now());
  }
}
