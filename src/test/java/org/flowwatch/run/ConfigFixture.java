package org.flowwatch.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.flowwatch.config.CollectionConfig;
import org.flowwatch.config.Config;
import org.flowwatch.config.FlowConfig;
import org.flowwatch.config.RunDirectoryConfig;

/** Builds {@link Config} records for tests through their constructors (no YAML involved). */
public final class ConfigFixture {
  private final Map<String, CollectionConfig> collections = new LinkedHashMap<>();
  private final Map<String, String> counts = new LinkedHashMap<>();
  private final Map<String, JsonNode> vars = new LinkedHashMap<>();
  private String pattern = "run(?<number>\\d+)";
  private JsonNode input = JsonNodeFactory.instance.objectNode();
  private UUID flowId;
  private String title;
  private Path schema = Path.of("/nonexistent/schema.json");
  private String label = "{run.name}";
  private List<String> tags = List.of();

  public static ConfigFixture config() {
    return new ConfigFixture();
  }

  public ConfigFixture collection(String name, String id, Path localRoot, String globusRoot) {
    collections.put(name, new CollectionConfig(name, UUID.fromString(id), localRoot, globusRoot, false));
    return this;
  }

  public ConfigFixture pattern(String regex) {
    this.pattern = regex;
    return this;
  }

  public ConfigFixture count(String name, String glob) {
    counts.put(name, glob);
    return this;
  }

  public ConfigFixture var(String name, JsonNode value) {
    vars.put(name, value);
    return this;
  }

  public ConfigFixture vars(Map<String, JsonNode> values) {
    vars.putAll(values);
    return this;
  }

  public ConfigFixture input(JsonNode template) {
    this.input = template;
    return this;
  }

  public ConfigFixture flow(String id, String flowTitle) {
    this.flowId = id == null ? null : UUID.fromString(id);
    this.title = flowTitle;
    return this;
  }

  public ConfigFixture schema(Path file) {
    this.schema = file;
    return this;
  }

  public ConfigFixture label(String template) {
    this.label = template;
    return this;
  }

  public ConfigFixture tags(String... templates) {
    this.tags = List.of(templates);
    return this;
  }

  public Config build() {
    FlowConfig flow = new FlowConfig(flowId, null, schema, title, label, tags, List.of(), List.of(), null);
    return new Config(Path.of("/etc/flowwatch/flowwatch.yaml"), collections, flow,
        new RunDirectoryConfig(Pattern.compile(pattern), counts), vars, input, null);
  }
}
