package org.flowwatch.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * Writes a flow id into {@code flow.id} of a config file in place (deploy-flow --save), through
 * {@link ConfigFileEditor}: comments, order and every other byte stay as they were. The edited file is
 * loaded back before it replaces the original, so the config is never left unloadable.
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

  private final Map<String, String> env;

  /** @param env the environment the config is loaded with, to check the edited file */
  public FlowIdEditor(Map<String, String> env) {
    this.env = Map.copyOf(env);
  }

  /**
   * Sets flow.id in {@code file} (or the file a symbolic link points at) to {@code id}.
   *
   * @throws ConfigException when the file cannot be edited safely (flow written inline, id taken from
   *     the environment, unreadable or unwritable file); the file is then unchanged
   */
  public Outcome save(Path file, UUID id) {
    Objects.requireNonNull(id, "id");
    Path real;
    try {
      real = file.toRealPath();
    } catch (IOException e) {
      throw new ConfigException(file + ": cannot open the config file to save the flow id: " + e.getMessage(), e);
    }
    ConfigFileEditor editor = ConfigFileEditor.open(real);
    JsonNode current = LocatedYaml.parse(editor.text(), file.toString()).root().path("flow").path("id");
    if (current.isTextual() && current.asText().contains("${")) {
      throw new ConfigException(file + ": flow.id is set from the environment (" + current.asText() + "); not"
          + " overwriting that: set the variable to " + id + " instead");
    }
    if (current.isTextual() && current.asText().trim().equalsIgnoreCase(id.toString())) {
      return Outcome.UNCHANGED;
    }
    ConfigFileEditor.Edit edit;
    try {
      edit = editor.set(List.of("flow", "id"), id.toString());
      editor.save(temp -> {
        UUID written = new ConfigLoader(env).load(temp).flow().id();
        if (!id.equals(written)) {
          throw new ConfigException("the edited file would read flow.id as " + written);
        }
      });
    } catch (ConfigException e) {
      throw new ConfigException(file + ": cannot save the flow id automatically (" + e.getMessage()
          + "); set flow.id to " + id + " yourself", e);
    }
    return edit.before() == null ? Outcome.INSERTED : Outcome.REPLACED;
  }
}
