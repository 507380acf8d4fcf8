package org.flowwatch.engine.transfer;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import org.flowwatch.engine.ActionUnableToRunException;

/**
 * Transfer's {@code sync_level}: when a file that is already at the destination is copied again.
 * Without a sync level every file is copied.
 */
enum SyncLevel {
  /** 0: copy only when the destination file is absent. */
  EXISTS,
  /** 1: also when the sizes differ. */
  SIZE,
  /** 2: also when the source was modified later than the destination. */
  MTIME,
  /** 3: also when the checksums differ. */
  CHECKSUM;

  /** The level a parameter asks for; null when there is none (copy everything). */
  static SyncLevel parse(JsonNode node) throws ActionUnableToRunException {
    if (node == null || node.isNull()) {
      return null;
    }
    if (node.isTextual()) {
      // The SDK and CLI also name the levels; the service itself takes the number.
      for (SyncLevel level : values()) {
        if (level.name().equalsIgnoreCase(node.asText())) {
          return level;
        }
      }
    }
    if (node.canConvertToInt() && node.isIntegralNumber() && node.asInt() >= 0 && node.asInt() < values().length) {
      return values()[node.asInt()];
    }
    throw new ActionUnableToRunException("sync_level is " + node + "; it must be 0 (exists), 1 (size),"
        + " 2 (mtime) or 3 (checksum)");
  }

  /**
   * Whether {@code source} must be copied over what is at {@code destination}.
   *
   * @param digest reads a file's checksum (only for {@link #CHECKSUM}, only when the sizes agree)
   */
  boolean needsCopy(Path source, BasicFileAttributes sourceAttributes, Path destination, Checksums digest)
      throws IOException, InterruptedException {
    if (!Files.exists(destination, LinkOption.NOFOLLOW_LINKS)) {
      return true;
    }
    BasicFileAttributes target = Files.readAttributes(destination, BasicFileAttributes.class,
        LinkOption.NOFOLLOW_LINKS);
    if (!target.isRegularFile()) {
      // A directory or link where the file goes: the copy has to replace it (and fails if it cannot).
      return true;
    }
    return switch (this) {
      case EXISTS -> false;
      case SIZE -> target.size() != sourceAttributes.size();
      case MTIME -> sourceAttributes.lastModifiedTime().compareTo(target.lastModifiedTime()) > 0;
      case CHECKSUM -> target.size() != sourceAttributes.size()
          || !digest.of(source).equals(digest.of(destination));
    };
  }
}
