package org.flowwatch.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.flowwatch.config.AtomicFile;
import org.flowwatch.config.PrivateFiles;

/**
 * What the agent saw in its watch directory and did not treat as a run directory, with why: a name that
 * does not match the pattern, a symbolic link out of the root or out of every collection, a broken link,
 * not a directory, a directory it cannot read. The scan notes each name; {@link #note} says whether it is
 * new, so the caller logs each name once. The agent saves the set to {@code ignored.json} in the state
 * directory when it changed, for {@code flowwatch status --ignored}. Names that went away are dropped at
 * the next listing.
 */
public final class IgnoredNames {
  /** More than this many names are counted, not kept: a watch directory full of strays must not cost memory. */
  public static final int KEEP_AT_MOST = 10_000;

  private final Clock clock;
  private final Map<String, Entry> entries = new TreeMap<>();
  private int dropped;
  /** True at first, so an agent that ignores nothing still says so. */
  private boolean changed = true;

  /**
   * One ignored name.
   *
   * @param reason why it is not a run directory, one line
   * @param since when this agent first saw it so
   */
  public record Entry(String name, String reason, Instant since) {}

  public IgnoredNames(Clock clock) {
    this.clock = clock;
  }

  /** Records that {@code name} is ignored for {@code reason}; true when that is news (log it then). */
  public synchronized boolean note(String name, String reason) {
    Entry old = entries.get(name);
    if (old != null && old.reason().equals(reason)) {
      return false;
    }
    if (old == null && entries.size() >= KEEP_AT_MOST) {
      dropped++;
      return dropped == 1;
    }
    entries.put(name, new Entry(name, reason, clock.instant()));
    changed = true;
    return true;
  }

  /** {@code name} is a run directory after all (a link fixed, permissions granted). */
  public synchronized void clear(String name) {
    if (entries.remove(name) != null) {
      changed = true;
    }
  }

  /** A full listing saw exactly {@code names}: forget ignored names that are gone. */
  public synchronized void listed(Collection<String> names) {
    Set<String> present = names instanceof Set<String> s ? s : new HashSet<>(names);
    if (entries.keySet().removeIf(n -> !present.contains(n))) {
      changed = true;
    }
  }

  /** Forgets everything (a reloaded config may have another pattern); the next listing notes again. */
  public synchronized void reset() {
    entries.clear();
    dropped = 0;
    changed = true;
  }

  public synchronized List<Entry> entries() {
    return List.copyOf(entries.values());
  }

  /** Writes the set to {@code file} (0600, atomically) when it changed since the last write. */
  public void saveIfChanged(Path file) throws IOException {
    byte[] json;
    synchronized (this) {
      if (!changed) {
        return;
      }
      ObjectNode root = new ObjectMapper().createObjectNode();
      root.put("updated_at", clock.instant().toString());
      root.put("not_kept", dropped);
      ArrayNode list = root.putArray("ignored");
      for (Entry e : entries.values()) {
        list.addObject().put("name", e.name()).put("reason", e.reason()).put("since", e.since().toString());
      }
      json = (root.toPrettyString() + "\n").getBytes(StandardCharsets.UTF_8);
      changed = false;
    }
    AtomicFile.replace(file, json, PrivateFiles.OWNER_FILE, f -> { });
  }

  /**
   * What an agent saved.
   *
   * @param notKept how many more names were ignored than were kept
   */
  public record Saved(Instant updatedAt, List<Entry> entries, int notKept) {}

  /** Reads {@code file}; empty entries when no agent has saved one. */
  public static Saved read(Path file) throws IOException {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return new Saved(null, List.of(), 0);
    }
    JsonNode root = new ObjectMapper().readTree(text);
    List<Entry> out = new ArrayList<>();
    for (JsonNode n : root.path("ignored")) {
      out.add(new Entry(n.path("name").asText(), n.path("reason").asText(), Instant.parse(n.path("since").asText())));
    }
    return new Saved(Instant.parse(root.path("updated_at").asText()), out, root.path("not_kept").asInt());
  }

  /** For a caller that wants names in the order a person reads them: by reason, then name. */
  public static Map<String, List<Entry>> byReason(List<Entry> entries) {
    Map<String, List<Entry>> out = new LinkedHashMap<>();
    for (Entry e : entries) {
      out.computeIfAbsent(e.reason(), r -> new ArrayList<>()).add(e);
    }
    return out;
  }
}
