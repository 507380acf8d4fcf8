package org.flowwatch.flow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A flow definition (reference §3): {@code {"Comment"?, "StartAt", "States": {name: state}}}, read with
 * line numbers. Only the structure every check relies on is modelled; states stay JSON objects, because
 * a definition with mistakes must still be walked to report them all.
 */
public final class FlowDefinition {

  /** The state types Globus Flows accepts (ASL's Task, Parallel, Map and Succeed are not among them). */
  static final Set<String> TYPES = Set.of("Action", "Pass", "Choice", "Wait", "Fail", "ExpressionEval");

  private final JsonDocument document;
  private final JsonNode root;
  private final Map<String, ObjectNode> states;

  private FlowDefinition(JsonDocument document) {
    this.document = document;
    this.root = document.root();
    Map<String, ObjectNode> found = new LinkedHashMap<>();
    JsonNode all = root.get("States");
    if (all != null && all.isObject()) {
      all.properties().forEach(e -> {
        if (e.getValue().isObject()) {
          found.put(e.getKey(), (ObjectNode) e.getValue());
        }
      });
    }
    this.states = Collections.unmodifiableMap(found);
  }

  /**
   * The definition in a parsed document.
   *
   * @throws IllegalArgumentException when the document is not valid JSON (lint it to report why)
   */
  public static FlowDefinition of(JsonDocument document) {
    Objects.requireNonNull(document, "document");
    if (!document.isWellFormed()) {
      throw new IllegalArgumentException(document.origin() + " is not valid JSON");
    }
    return new FlowDefinition(document);
  }

  /** Reads a definition file; see {@link JsonDocument#read}. */
  public static JsonDocument read(Path file) {
    return JsonDocument.read(file, "flow definition");
  }

  public JsonDocument document() {
    return document;
  }

  /** The whole definition as it will be sent to Globus. */
  public JsonNode root() {
    return root.deepCopy();
  }

  JsonNode tree() {
    return root;
  }

  /** The states that are JSON objects, by name, in file order. */
  Map<String, ObjectNode> states() {
    return states;
  }

  /** StartAt, when it is a string. */
  Optional<String> startAt() {
    JsonNode start = root.get("StartAt");
    return start != null && start.isTextual() ? Optional.of(start.asText()) : Optional.empty();
  }

  /** The Type of a state, or null when it has none or it is not a string. */
  static String typeOf(JsonNode state) {
    JsonNode type = state.get("Type");
    return type != null && type.isTextual() ? type.asText() : null;
  }

  /** Every ActionUrl a definition tree uses, in file order: adding one changes which consents runs need. */
  static Set<String> actionUrlsOf(JsonNode definition) {
    Set<String> urls = new LinkedHashSet<>();
    if (definition != null) {
      definition.path("States").forEach(state -> {
        JsonNode url = state.get("ActionUrl");
        if ("Action".equals(typeOf(state)) && url != null && url.isTextual()) {
          urls.add(url.asText());
        }
      });
    }
    return urls;
  }

  /** The pointer of a state: {@code /States/<name>}. */
  static String pointerOf(String state) {
    return JsonDocument.pointer("/States", state);
  }
}
