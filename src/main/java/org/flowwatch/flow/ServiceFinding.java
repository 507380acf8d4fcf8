package org.flowwatch.flow;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.flowwatch.globus.Problem;
import org.flowwatch.globus.flows.FlowValidation;

/**
 * One objection of the Flows service's validator, placed in our files where its location allows:
 * {@code definition.States.Copy.ActionUrl} becomes pointer {@code /States/Copy/ActionUrl} of the
 * definition file, with that line.
 *
 * @param file the file the objection is about, or "" when its location names neither file
 * @param pointer the pointer inside that file, or the service's location as it said it
 * @param location line and column, when known
 * @param message the service's words
 */
public record ServiceFinding(String file, String pointer, Location location, String message) {

  public ServiceFinding {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(pointer, "pointer");
    location = location == null ? Location.UNKNOWN : location;
    Objects.requireNonNull(message, "message");
  }

  /**
   * The service's objections, mapped onto the files they came from.
   *
   * @param schema may be null
   */
  public static List<ServiceFinding> of(FlowValidation validation, JsonDocument definition, JsonDocument schema) {
    List<ServiceFinding> out = new ArrayList<>();
    for (Problem p : validation.problems()) {
      String loc = p.loc().startsWith("body.") ? p.loc().substring("body.".length()) : p.loc();
      JsonDocument doc = null;
      String rest = null;
      if (loc.equals("definition") || loc.startsWith("definition.")) {
        doc = definition;
        rest = loc.substring("definition".length());
      } else if (schema != null && (loc.equals("input_schema") || loc.startsWith("input_schema."))) {
        doc = schema;
        rest = loc.substring("input_schema".length());
      }
      if (doc == null) {
        out.add(new ServiceFinding("", loc, Location.UNKNOWN, p.msg()));
        continue;
      }
      String pointer = rest.isEmpty() ? "" : "/" + String.join("/", List.of(rest.substring(1).split("\\.", -1))
          .stream().map(k -> k.replace("~", "~0").replace("/", "~1")).toList());
      out.add(new ServiceFinding(doc.origin(), pointer,
          doc.isWellFormed() ? doc.keyLocationOf(pointer) : Location.UNKNOWN, p.msg()));
    }
    return out;
  }

  /** {@code flow.json:12:9: globus /States/Copy/ActionUrl: ...}, beside our own findings. */
  @Override
  public String toString() {
    String where = file.isEmpty() ? "globus" : file + (location.isKnown() ? ":" + location : "") + ": globus";
    return where + " " + (pointer.isEmpty() ? "(root)" : pointer) + ": " + message;
  }
}
