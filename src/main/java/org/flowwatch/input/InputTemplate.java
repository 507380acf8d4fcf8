package org.flowwatch.input;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import org.flowwatch.config.Suggestions;
import org.flowwatch.input.TemplateString.Literal;
import org.flowwatch.input.TemplateString.Placeholder;
import org.flowwatch.input.TemplateString.Segment;

/**
 * Renders templates with run facts: the input document template (a JSON tree), the run label and tags.
 *
 * <p>Placeholders ({@code {run.number}}, {@code {run.number:%04d}}, see {@link TemplateString}) are
 * replaced in string values only; object keys stay literal, so the shape of the document is the
 * template's. A string that is exactly one placeholder without a format becomes the fact's own JSON type
 * (number, boolean, array, or the JSON value of a {@code vars} entry); anywhere else a fact is written as
 * text. {@code {env.NAME}} reads the environment map given to the constructor, never the process
 * environment directly, so tests and the CLI decide what is visible.
 *
 * <p>The template is never modified; each render builds a new tree in the template's key order.
 */
public final class InputTemplate {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private static final String ENV_PREFIX = "env.";

  private final Map<String, String> env;

  /** @param env the environment {@code {env.NAME}} placeholders read */
  public InputTemplate(Map<String, String> env) {
    this.env = Map.copyOf(Objects.requireNonNull(env, "env"));
  }

  /**
   * Renders a JSON template.
   *
   * @throws TemplateException naming the JSON pointer of the failing string and the placeholder
   */
  public JsonNode render(JsonNode template, Map<String, ?> facts) {
    return renderNode(template, "", facts);
  }

  /** Renders one string template (a label or a tag) to text. */
  public String renderString(String template, Map<String, ?> facts) {
    return renderString(template, facts, "template \"" + template + "\"");
  }

  /**
   * Renders one string template to text; {@code where} names it in error messages, e.g.
   * {@code flow.label}.
   */
  public String renderString(String template, Map<String, ?> facts, String where) {
    JsonNode rendered = renderText(template, where, facts);
    return rendered.isTextual() ? rendered.textValue() : textOf(rendered, where, template);
  }

  private JsonNode renderNode(JsonNode node, String pointer, Map<String, ?> facts) {
    if (node.isObject()) {
      ObjectNode out = JSON.objectNode();
      for (Map.Entry<String, JsonNode> field : node.properties()) {
        out.set(field.getKey(), renderNode(field.getValue(), pointer + "/" + escape(field.getKey()), facts));
      }
      return out;
    }
    if (node.isArray()) {
      ArrayNode out = JSON.arrayNode();
      for (int i = 0; i < node.size(); i++) {
        out.add(renderNode(node.get(i), pointer + "/" + i, facts));
      }
      return out;
    }
    if (node.isTextual()) {
      return renderText(node.textValue(), "the input template at " + (pointer.isEmpty() ? "the root" : pointer), facts);
    }
    return node.deepCopy();
  }

  private JsonNode renderText(String text, String where, Map<String, ?> facts) {
    List<Segment> segments = TemplateString.parse(text, where);
    if (segments.size() == 1 && segments.get(0) instanceof Placeholder p && p.format() == null) {
      return FactValues.toJson(lookup(p, where, facts));
    }
    StringBuilder out = new StringBuilder();
    for (Segment segment : segments) {
      if (segment instanceof Literal literal) {
        out.append(literal.text());
      } else if (segment instanceof Placeholder p) {
        out.append(text(p, lookup(p, where, facts), where, segments.size() == 1));
      }
    }
    return JSON.textNode(out.toString());
  }

  private static String text(Placeholder p, Object value, String where, boolean whole) {
    try {
      return p.format() == null ? FactValues.toText(value) : FactValues.format(p.format(), value);
    } catch (IllegalArgumentException e) {
      if (p.format() != null) {
        throw new TemplateException("Cannot format " + p.source() + " in " + where + ": " + e.getMessage()
            + ". Use a format that fits the value (%d for integers, %s for text, %.2f for numbers).", e);
      }
      String fix = whole ? "" : " Make the placeholder the whole string to insert it as a JSON value.";
      throw new TemplateException(p.source() + " in " + where + " cannot be written into a string: "
          + e.getMessage() + "." + fix, e);
    }
  }

  private static String textOf(JsonNode rendered, String where, String template) {
    try {
      return FactValues.toText(rendered);
    } catch (IllegalArgumentException e) {
      throw new TemplateException(template + " in " + where + " must give text, but " + e.getMessage() + ".", e);
    }
  }

  private Object lookup(Placeholder p, String where, Map<String, ?> facts) {
    String name = p.name();
    if (name.startsWith(ENV_PREFIX)) {
      String variable = name.substring(ENV_PREFIX.length());
      String value = env.get(variable);
      if (value == null) {
        throw new TemplateException("Environment variable " + variable + " used by " + p.source() + " in "
            + where + " is not set. Set it in flowwatch's environment (for a systemd service:"
            + " Environment=" + variable + "=...), or remove the placeholder.");
      }
      return value;
    }
    if (!facts.containsKey(name)) {
      throw unknownFact(p, where, facts);
    }
    return facts.get(name);
  }

  private static TemplateException unknownFact(Placeholder p, String where, Map<String, ?> facts) {
    TreeSet<String> known = new TreeSet<>(facts.keySet());
    String suggestion = Suggestions.closest(p.name(), known)
        .map(s -> " Did you mean {" + s + "}?")
        .orElse("");
    return new TemplateException("Unknown fact " + p.source() + " in " + where + "." + suggestion
        + " Facts for this run: " + String.join(", ", known) + "; environment variables are {env.NAME}.");
  }

  /** RFC 6901: '~' and '/' in a key are written "~0" and "~1". */
  static String escape(String key) {
    return key.replace("~", "~0").replace("/", "~1");
  }
}
