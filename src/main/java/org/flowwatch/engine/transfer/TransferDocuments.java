package org.flowwatch.engine.transfer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Set;

/**
 * The documents the Transfer service answers with, filled in from local files: its file document (stat,
 * ls), the mkdir result, and error bodies ({@code code}, {@code message}, {@code request_id},
 * {@code resource}), so a flow's Choice reads the same fields here as from Globus.
 */
final class TransferDocuments {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  // Transfer writes a space between date and time and the offset with a colon: "2026-01-02 03:04:05+00:00".
  private static final DateTimeFormatter LAST_MODIFIED = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ssxxx");

  private TransferDocuments() {}

  /** Transfer's {@code file} document for what is at {@code path} (a link is described, not followed). */
  static ObjectNode file(CollectionPath path) throws IOException {
    return file(path.name(), path.local());
  }

  static ObjectNode file(String name, Path local) throws IOException {
    BasicFileAttributes basic = Files.readAttributes(local, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    ObjectNode doc = JSON.objectNode();
    doc.put("DATA_TYPE", "file");
    doc.put("name", name);
    String linkTarget = null;
    String type;
    if (basic.isSymbolicLink()) {
      linkTarget = Files.readSymbolicLink(local).toString();
      type = Files.exists(local) ? (Files.isDirectory(local) ? "dir" : "file") : "invalid_symlink";
    } else if (basic.isDirectory()) {
      type = "dir";
    } else if (basic.isRegularFile()) {
      type = "file";
    } else {
      type = "other";
    }
    doc.put("type", type);
    doc.put("size", basic.size());
    doc.put("last_modified", lastModified(basic.lastModifiedTime()));
    try {
      PosixFileAttributes posix = Files.readAttributes(local, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      doc.put("permissions", octal(posix.permissions()));
      doc.put("user", posix.owner().getName());
      doc.put("group", posix.group().getName());
    } catch (UnsupportedOperationException e) {
      doc.putNull("permissions");
      doc.putNull("user");
      doc.putNull("group");
    }
    doc.put("link_target", linkTarget);
    return doc;
  }

  static String lastModified(FileTime time) {
    return LAST_MODIFIED.format(time.toInstant().atOffset(ZoneOffset.UTC).withNano(0));
  }

  private static String octal(Set<PosixFilePermission> permissions) {
    int mode = 0;
    for (PosixFilePermission p : permissions) {
      mode |= 1 << (8 - p.ordinal());
    }
    return String.format("0%03o", mode);
  }

  /** An error body of the Transfer API, as a failed synchronous action's details. */
  static ObjectNode error(String code, String message, int httpStatus, String requestId, String resource) {
    ObjectNode doc = JSON.objectNode();
    doc.put("code", code);
    doc.put("message", message);
    doc.put("http_status", httpStatus);
    doc.put("request_id", requestId);
    doc.put("resource", resource);
    return doc;
  }

  static ObjectNode mkdirResult(String requestId, String resource) {
    ObjectNode doc = JSON.objectNode();
    doc.put("DATA_TYPE", "mkdir_result");
    doc.put("code", "DirectoryCreated");
    doc.put("message", "The directory was created successfully");
    doc.put("request_id", requestId);
    doc.put("resource", resource);
    return doc;
  }

  static JsonNode orNull(JsonNode node) {
    return node == null ? JSON.nullNode() : node;
  }
}
