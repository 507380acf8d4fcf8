package org.flowwatch.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes a flow id into {@code flow.id} of a config file in place. Only the {@code id:} line under the
 * top-level {@code flow:} is changed (or inserted as its first line): comments, key order, quoting and
 * every other byte stay as they were, which re-serialising the YAML could not promise.
 *
 * <p>The edited text is loaded back before it replaces the file, and written through a temporary file
 * and a rename, so the config is never left half-written or unloadable.
 */
public final class FlowIdEditor {

  /** What {@link #save} did. */
  public enum Outcome {
    /** flow.id already held the id; the file was not touched. */
    UNCHANGED,
    /** The value of the existing id line was replaced. */
    REPLACED,
    /** An id line was added as the first line under flow. */
    INSERTED
  }

  private static final Pattern FLOW = Pattern.compile("(?m)^flow[ \\t]*:(?<rest>[^\\r\\n]*)$");
  private static final Pattern TOP_LEVEL = Pattern.compile("(?m)^(?![ \\t#\\r\\n])[^\\r\\n]*$");
  private static final Pattern CHILD = Pattern.compile("(?m)^(?<indent>[ ]+)(?![ #\\r\\n])");
  private static final Pattern VALUE = Pattern.compile(
      "^(?<space>[ \\t]*)(?<value>\"[^\"]*\"|'[^']*'|[^#\\r\\n]*?)(?<tail>[ \\t]+#[^\\r\\n]*|[ \\t]*)$");

  private final Map<String, String> env;

  /** @param env the environment the config is loaded with, to check the edited file */
  public FlowIdEditor(Map<String, String> env) {
    this.env = Map.copyOf(env);
  }

  /**
   * Sets flow.id in {@code file} to {@code id}.
   *
   * @throws ConfigException when the file cannot be edited safely (flow written inline, id taken from
   *     the environment, unreadable or unwritable file); the file is then unchanged
   */
  public Outcome save(Path file, UUID id) {
    Objects.requireNonNull(id, "id");
    Path real = realPath(file);
    String text = read(real);
    String newline = text.contains("\r\n") ? "\r\n" : "\n";
    Matcher flow = FLOW.matcher(text);
    if (!flow.find()) {
      throw refuse(file, "it has no top-level 'flow:' line", id);
    }
    if (!flow.group("rest").isBlank() && !flow.group("rest").trim().startsWith("#")) {
      throw refuse(file, "flow is written on one line (" + flow.group().trim() + ")", id);
    }
    int blockStart = flow.end() + (text.startsWith("\r\n", flow.end()) ? 2 : text.startsWith("\n", flow.end()) ? 1 : 0);
    Matcher next = TOP_LEVEL.matcher(text);
    int blockEnd = next.find(blockStart) ? next.start() : text.length();
    String block = text.substring(blockStart, blockEnd);
    Matcher child = CHILD.matcher(block);
    String indent = child.find() ? child.group("indent") : "  ";
    Matcher idLine = Pattern.compile("(?m)^" + indent + "(?:id|\"id\"|'id')[ \\t]*:(?<after>[^\\r\\n]*)$")
        .matcher(block);
    String edited;
    Outcome outcome;
    if (idLine.find()) {
      Matcher value = VALUE.matcher(idLine.group("after"));
      if (!value.matches()) {
        throw refuse(file, "its flow.id line is not a plain value: " + idLine.group().trim(), id);
      }
      String current = value.group("value");
      if (current.contains("${")) {
        throw new ConfigException(file + ": flow.id is set from the environment (" + current.trim() + "); not"
            + " overwriting that: set the variable to " + id + " instead");
      }
      if (!current.isEmpty() && "|>&*!{[".indexOf(current.charAt(0)) >= 0) {
        throw refuse(file, "its flow.id value is not a plain scalar: " + current, id);
      }
      if (unquote(current).equalsIgnoreCase(id.toString())) {
        return Outcome.UNCHANGED;
      }
      int at = blockStart + idLine.start("after");
      String replacement = (value.group("space").isEmpty() ? " " : value.group("space")) + id + value.group("tail");
      edited = text.substring(0, at) + replacement + text.substring(blockStart + idLine.end("after"));
      outcome = Outcome.REPLACED;
    } else {
      String line = indent + "id: " + id + newline;
      edited = blockStart == flow.end() && blockStart == text.length()
          ? text + newline + line
          : text.substring(0, blockStart) + line + text.substring(blockStart);
      outcome = Outcome.INSERTED;
    }
    replace(file, real, edited, id);
    return outcome;
  }

  private void replace(Path file, Path real, String edited, UUID id) {
    Path dir = real.toAbsolutePath().getParent();
    Path temp = null;
    try {
      temp = Files.createTempFile(dir, "." + real.getFileName() + ".", ".tmp");
      Files.writeString(temp, edited, StandardCharsets.UTF_8);
      copyPermissions(real, temp);
      Config check = new ConfigLoader(env).load(temp);
      if (!id.equals(check.flow().id())) {
        throw refuse(file, "the edited file would read flow.id as " + check.flow().id(), id);
      }
      try {
        Files.move(temp, real, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, real, StandardCopyOption.REPLACE_EXISTING);
      }
      temp = null;
    } catch (ConfigException e) {
      throw e.getMessage().startsWith(file.toString()) ? e
          : refuse(file, "the edited file would not load (" + e.getMessage() + ")", id);
    } catch (IOException e) {
      throw new ConfigException(file + ": cannot write the new flow id into the config file (" + e.getMessage()
          + "); set flow.id to " + id + " yourself", e);
    } finally {
      if (temp != null) {
        try {
          Files.deleteIfExists(temp);
        } catch (IOException ignored) {
          // Best effort: a leftover hidden temporary file is harmless.
        }
      }
    }
  }

  private static void copyPermissions(Path from, Path to) throws IOException {
    try {
      Set<PosixFilePermission> perms = Files.getPosixFilePermissions(from);
      Files.setPosixFilePermissions(to, perms);
    } catch (UnsupportedOperationException e) {
      // Not a POSIX file system: the new file keeps the default permissions.
    }
  }

  private static Path realPath(Path file) {
    try {
      // Edit the file a symbolic link points at, not the link.
      return file.toRealPath();
    } catch (IOException e) {
      throw new ConfigException(file + ": cannot open the config file to save the flow id: " + e.getMessage(), e);
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ConfigException(file + ": cannot read the config file to save the flow id: " + e.getMessage(), e);
    }
  }

  private static String unquote(String value) {
    String v = value.trim();
    if (v.length() >= 2 && (v.charAt(0) == '"' || v.charAt(0) == '\'') && v.charAt(v.length() - 1) == v.charAt(0)) {
      return v.substring(1, v.length() - 1);
    }
    return v;
  }

  private static ConfigException refuse(Path file, String why, UUID id) {
    return new ConfigException(file + ": cannot save the flow id automatically because " + why
        + "; set flow.id to " + id + " yourself");
  }
}
