package org.flowwatch.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import org.flowwatch.flow.Finding;
import org.flowwatch.flow.LintReport;
import org.flowwatch.flow.Location;
import org.flowwatch.flow.ServiceFinding;
import org.flowwatch.input.JsonOutput;

/** Prints lint findings, and the service's beside them, as lines for people or as one JSON document. */
final class LintOutput {
  private LintOutput() {}

  /** One line per finding on {@code out}, the totals on {@code err}. */
  static void text(LintReport report, ServerValidation service, PrintWriter out, PrintWriter err) {
    report.lines().forEach(out::println);
    out.flush();
    err.println(report.findings().isEmpty() ? "lint: no findings" : "lint: " + report.summary());
    if (service != null) {
      service(service, out, err);
    }
    err.flush();
  }

  /** The service's objections on {@code out}, its verdict on {@code err}. */
  static void service(ServerValidation service, PrintWriter out, PrintWriter err) {
    service.findings().forEach(f -> out.println(f.toString()));
    out.flush();
    err.println(service.validation().accepted()
        ? "globus: the Flows service accepts the flow" + scopes(service.validation().scopes())
        : "globus: the Flows service rejects the flow (" + service.validation().summary() + ")");
    err.flush();
  }

  /**
   * {@code {"findings": [...], "errors": n, "warnings": n, "globus": {...}}}; "globus" only with
   * --server-validate and credentials. A finding's line and column are null when unknown.
   */
  static void json(LintReport report, ServerValidation service, PrintWriter out) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    ObjectNode doc = f.objectNode();
    ArrayNode findings = doc.putArray("findings");
    for (Finding finding : report.findings()) {
      ObjectNode o = findings.addObject();
      o.put("id", finding.id());
      o.put("severity", finding.severity().label());
      place(o, finding.file(), finding.location());
      o.put("pointer", finding.pointer());
      o.put("message", finding.message());
    }
    doc.put("errors", report.errors());
    doc.put("warnings", report.warnings());
    if (service != null) {
      ObjectNode globus = doc.putObject("globus");
      globus.put("accepted", service.validation().accepted());
      ObjectNode scopes = globus.putObject("scopes");
      service.validation().scopes().forEach((role, list) -> list.forEach(scopes.putArray(role)::add));
      ArrayNode objections = globus.putArray("findings");
      for (ServiceFinding s : service.findings()) {
        ObjectNode o = objections.addObject();
        place(o, s.file(), s.location());
        o.put("pointer", s.pointer());
        o.put("message", s.message());
      }
      globus.put("summary", service.validation().summary());
    }
    out.println(JsonOutput.pretty(doc));
    out.flush();
  }

  private static void place(ObjectNode o, String file, Location location) {
    o.put("file", file);
    if (location.isKnown()) {
      o.put("line", location.line());
      o.put("column", location.column());
    } else {
      o.putNull("line");
      o.putNull("column");
    }
  }

  private static String scopes(Map<String, List<String>> scopes) {
    if (scopes.isEmpty()) {
      return "";
    }
    StringBuilder s = new StringBuilder("; it will need these scopes:");
    scopes.forEach((role, list) -> s.append(' ').append(role.isEmpty() ? "" : role + ": ")
        .append(String.join(" ", list)).append(';'));
    s.setLength(s.length() - 1);
    return s.toString();
  }
}
