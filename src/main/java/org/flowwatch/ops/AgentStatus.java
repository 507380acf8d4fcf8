package org.flowwatch.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import org.flowwatch.config.AtomicFile;
import org.flowwatch.config.PrivateFiles;

/**
 * The {@code agent.status} file: who the agent is and when it last scanned and polled, for {@code
 * flowwatch status}. The agent replaces it atomically (0600) at most every {@link #WRITE_EVERY} while it
 * runs, and once more when it stops; after a kill -9 the file stays as it was, which is itself the answer
 * to "when did it last run". A file, not the ledger: writing a ledger row every few seconds would cost a
 * WAL commit each time and contend with {@code status} and {@code retry}, and a reader needs no SQLite.
 *
 * @param pid the agent's process id
 * @param host the host it runs on
 * @param watchRoot the watch directory
 * @param since when it started
 * @param updatedAt when this file was written
 * @param lastScan when its last full scan finished, or null
 * @param lastPoll when the service last answered its status poll, or null
 * @param stoppedAt when it stopped cleanly, or null while it runs (or after it was killed)
 * @param http where it serves metrics and health, or null
 */
public record AgentStatus(long pid, String host, String watchRoot, Instant since, Instant updatedAt,
    Instant lastScan, Instant lastPoll, Instant stoppedAt, String http) {
  /** Often enough for "last scan" to be fresh to a person; rarely enough to cost nothing. */
  public static final java.time.Duration WRITE_EVERY = java.time.Duration.ofSeconds(5);

  public void write(Path file) throws IOException {
    ObjectNode n = new ObjectMapper().createObjectNode();
    n.put("pid", pid).put("host", host).put("watch_root", watchRoot).put("since", text(since))
        .put("updated_at", text(updatedAt)).put("last_scan", text(lastScan)).put("last_poll", text(lastPoll))
        .put("stopped_at", text(stoppedAt)).put("http", http);
    AtomicFile.replace(file, (n.toPrettyString() + "\n").getBytes(StandardCharsets.UTF_8), PrivateFiles.OWNER_FILE,
        f -> { });
  }

  /** The file's content; empty when no agent has written one here. */
  public static Optional<AgentStatus> read(Path file) throws IOException {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
    JsonNode n = new ObjectMapper().readTree(text);
    return Optional.of(new AgentStatus(n.path("pid").asLong(), n.path("host").asText(null),
        n.path("watch_root").asText(null), instant(n, "since"), instant(n, "updated_at"), instant(n, "last_scan"),
        instant(n, "last_poll"), instant(n, "stopped_at"), n.path("http").asText(null)));
  }

  private static String text(Instant t) {
    return t == null ? null : t.toString();
  }

  private static Instant instant(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? null : Instant.parse(v.asText());
  }
}
