package org.flowwatch.cli;

import java.io.PrintWriter;
import org.flowwatch.flow.Change;
import org.flowwatch.flow.Deployment;

/**
 * How deploy-flow reports: stdout carries the result (a new flow's id and scope, the changed fields, or
 * "up to date"), stderr the story and the warnings.
 */
final class DeploymentOutput {
  private DeploymentOutput() {}

  static void print(Deployment d, String title, Terminal terminal) {
    PrintWriter out = terminal.out();
    PrintWriter err = terminal.err();
    switch (d.outcome()) {
      case CREATED:
        out.println(d.flow().id());
        out.println(d.flow().startScope());
        err.println("created flow '" + d.flow().title() + "' with id " + d.flow().id());
        break;
      case UPDATED:
        d.changes().forEach(c -> out.println(line(c)));
        err.println("updated flow " + d.flow().id() + ": " + d.changes().size() + " field(s) changed");
        break;
      case UP_TO_DATE:
        out.println("up to date");
        err.println("flow " + d.flow().id() + " already matches the files and the config; nothing was sent");
        break;
      case WOULD_CREATE:
        out.println("would create a new flow '" + title + "'");
        break;
      case WOULD_UPDATE:
        d.changes().forEach(c -> out.println(line(c)));
        err.println("dry run: flow " + d.flow().id() + " would get " + d.changes().size()
            + " changed field(s); nothing was sent");
        break;
      default:
        throw new IllegalStateException("unknown outcome " + d.outcome());
    }
    d.warnings().forEach(w -> err.println("warning: " + w));
    out.flush();
    err.flush();
  }

  private static String line(Change c) {
    return "changed " + c;
  }
}
