package org.flowwatch.input;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.flowwatch.config.Config;
import org.flowwatch.run.RunFacts;

/**
 * Builds the input document, label and tags of a run from the config's templates and checks the
 * document against the flow's input schema.
 *
 * <p>One builder serves every run of an agent: the schema file is read and compiled on first use and
 * kept, so a watch loop does not re-read it per run (restart the agent after changing it). Safe for use
 * from several threads.
 */
public final class InputDocumentBuilder {
  private final Config config;
  private final InputTemplate template;
  private volatile InputSchema schema;

  /** @param env the environment {@code {env.NAME}} placeholders read */
  public InputDocumentBuilder(Config config, Map<String, String> env) {
    this.config = Objects.requireNonNull(config, "config");
    this.template = new InputTemplate(env);
  }

  /**
   * Renders and validates the input for one run. An invalid document is not an exception: it comes
   * back with its {@link ValidationReport} so the caller can print every violation.
   *
   * @throws TemplateException when a template names an unknown fact or has a bad placeholder
   * @throws SchemaException when the schema file cannot be read or compiled
   */
  public InputDocument build(RunFacts facts) {
    Map<String, Object> values = facts.values();
    JsonNode body = template.render(config.input(), values);
    String label = template.renderString(config.flow().label(), values, "flow.label");
    List<String> tags = new ArrayList<>();
    List<String> tagTemplates = config.flow().tags();
    for (int i = 0; i < tagTemplates.size(); i++) {
      tags.add(template.renderString(tagTemplates.get(i), values, "flow.tags[" + i + "]"));
    }
    return new InputDocument(body, label, tags, schema().validate(body));
  }

  /** The compiled input schema, loaded on first use. */
  public InputSchema schema() {
    InputSchema loaded = schema;
    if (loaded == null) {
      synchronized (this) {
        loaded = schema;
        if (loaded == null) {
          loaded = InputSchema.load(config.flow().schema());
          schema = loaded;
        }
      }
    }
    return loaded;
  }
}
