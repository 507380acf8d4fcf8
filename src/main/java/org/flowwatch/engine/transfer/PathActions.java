package org.flowwatch.engine.transfer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import org.flowwatch.config.PrivateFiles;
import org.flowwatch.engine.ActionStatus;
import org.flowwatch.engine.ActionUnableToRunException;

/**
 * The synchronous Transfer actions on one path: mkdir, stat, ls and collection_info. A failure is an
 * action FAILED whose details are the Transfer API's error body ({@code code}, {@code message}, ...),
 * which is what the hosted providers hand back and what definitions test.
 */
final class PathActions {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private PathActions() {}

  static ActionStatus mkdir(Parameters p, CollectionRoots roots, String requestId, Instant started)
      throws ActionUnableToRunException {
    String collection = p.requiredText("endpoint_id", "endpoint");
    CollectionPath path = roots.resolve(collection, p.requiredText("path"), "path");
    String resource = "/operation/endpoint/" + collection + "/mkdir";
    try {
      Files.createDirectory(path.local(), PosixFilePermissions.asFileAttribute(PrivateFiles.OWNER_DIR));
      return new ActionStatus(requestId, ActionStatus.SUCCEEDED, TransferDocuments.mkdirResult(requestId, resource),
          started, Instant.now());
    } catch (FileAlreadyExistsException e) {
      // The hosted mkdir fails on any existing path (Transfer's 502 ExternalError.MkdirFailed.Exists); the
      // shipped flows catch that and stat the path to see whether it is the directory they wanted.
      return failed(requestId, started, TransferDocuments.error("ExternalError.MkdirFailed.Exists",
          "Path already exists, Error (mkdir): " + path.path() + " in collection " + collection, 502,
          requestId, resource));
    } catch (NoSuchFileException e) {
      return failed(requestId, started, TransferDocuments.error("ExternalError.MkdirFailed",
          "Error (mkdir): the parent of " + path.path() + " does not exist in collection " + collection
              + " (mkdir makes one directory; make its parents first)", 502, requestId, resource));
    } catch (IOException e) {
      return failed(requestId, started, TransferDocuments.error("ExternalError.MkdirFailed",
          "Error (mkdir): could not make " + path.path() + " in collection " + collection + " (local "
              + path.local() + "): " + e.getMessage(), 502, requestId, resource));
    }
  }

  static ActionStatus stat(Parameters p, CollectionRoots roots, String requestId, Instant started)
      throws ActionUnableToRunException {
    String collection = p.requiredText("endpoint_id", "endpoint");
    CollectionPath path = roots.resolve(collection, p.requiredText("path"), "path");
    String resource = "/operation/endpoint/" + collection + "/stat";
    try {
      return new ActionStatus(requestId, ActionStatus.SUCCEEDED, TransferDocuments.file(path), started,
          Instant.now());
    } catch (NoSuchFileException e) {
      // Definitions test details.code == "NotFound" (FlowCron) or that 'code' is absent (Globus's move example).
      return failed(requestId, started, TransferDocuments.error("NotFound", "Path not found: " + path.path()
          + " in collection " + collection, 404, requestId, resource));
    } catch (IOException e) {
      return failed(requestId, started, TransferDocuments.error("ExternalError.StatFailed", "Error (stat): could"
          + " not read " + path.path() + " in collection " + collection + ": " + e.getMessage(), 502, requestId,
          resource));
    }
  }

  static ActionStatus ls(Parameters p, CollectionRoots roots, boolean legacy, String requestId, Instant started)
      throws ActionUnableToRunException {
    String collection = p.requiredText("endpoint_id", "endpoint");
    CollectionPath dir = roots.resolve(collection, p.requiredText("path"), "path");
    JsonNode filterNode = p.get("filter");
    ListFilter filter = ListFilter.parse(filterNode == null ? null : filterNode.asText());
    boolean showHidden = p.bool("show_hidden", true);
    int offset = p.get("offset") == null ? 0 : p.get("offset").asInt();
    int limit = p.get("limit") == null ? 100000 : p.get("limit").asInt();
    String resource = "/operation/endpoint/" + collection + "/ls";
    if (!Files.exists(dir.local(), LinkOption.NOFOLLOW_LINKS) && !Files.exists(dir.local())) {
      return failed(requestId, started, TransferDocuments.error("ClientError.NotFound", "Directory '" + dir.path()
          + "' not found on collection " + collection, 404, requestId, resource));
    }
    if (!Files.isDirectory(dir.local())) {
      return failed(requestId, started, TransferDocuments.error("ExternalError.DirListingFailed.NotDirectory",
          "Error (list): " + dir.path() + " in collection " + collection + " is not a directory", 502, requestId,
          resource));
    }
    Map<String, ObjectNode> entries = new TreeMap<>();
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir.local())) {
      for (Path entry : stream) {
        String name = entry.getFileName().toString();
        if (!showHidden && name.startsWith(".")) {
          continue;
        }
        ObjectNode doc = TransferDocuments.file(name, entry);
        if (filter.passes(doc)) {
          if (legacy) {
            doc.put("is_folder", "dir".equals(doc.path("type").asText()));
          }
          entries.put(name, doc);
        }
      }
    } catch (IOException e) {
      return failed(requestId, started, TransferDocuments.error("ExternalError.DirListingFailed", "Error (list):"
          + " could not list " + dir.path() + " in collection " + collection + ": " + e.getMessage(), 502,
          requestId, resource));
    }
    ArrayNode data = JSON.arrayNode();
    entries.values().stream().skip(Math.max(0, offset)).limit(Math.max(0, limit)).forEach(data::add);
    ObjectNode list = JSON.objectNode();
    list.put("DATA_TYPE", "file_list");
    list.put("endpoint", collection);
    list.put("path", dir.path().endsWith("/") ? dir.path() : dir.path() + "/");
    list.put("absolute_path", dir.path().endsWith("/") ? dir.path() : dir.path() + "/");
    list.put("rename_supported", true);
    list.put("symlink_supported", false);
    list.put("length", data.size());
    list.put("total", entries.size());
    list.put("offset", offset);
    list.put("limit", limit);
    list.set("DATA", data);
    return new ActionStatus(requestId, ActionStatus.SUCCEEDED, list, started, Instant.now());
  }

  /**
   * The collection document for a local directory: a mapped collection without a subscription, which is
   * what a definition testing {@code entity_type} or {@code subscription_id} learns about it.
   */
  static ActionStatus collectionInfo(Parameters p, CollectionRoots roots, String requestId, Instant started)
      throws ActionUnableToRunException {
    String collection = p.requiredText("endpoint_id", "collection_id", "endpoint");
    CollectionPath root = roots.resolve(collection, "/", "endpoint_id");
    ObjectNode doc = JSON.objectNode();
    doc.put("DATA_TYPE", "endpoint");
    doc.put("id", collection);
    doc.put("display_name", "local directory " + root.local());
    doc.put("entity_type", "GCSv5_mapped_collection");
    doc.putNull("subscription_id");
    doc.put("high_assurance", false);
    doc.put("default_directory", "/");
    doc.put("non_functional", false);
    doc.put("description", "a local directory standing in for collection " + collection);
    return new ActionStatus(requestId, ActionStatus.SUCCEEDED, doc, started, Instant.now());
  }

  private static ActionStatus failed(String id, Instant started, ObjectNode details) {
    return new ActionStatus(id, ActionStatus.FAILED, details, started, Instant.now());
  }
}
