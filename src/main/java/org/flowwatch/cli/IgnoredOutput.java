package org.flowwatch.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.IOException;
import java.io.PrintWriter;
import org.flowwatch.config.StateLayout;
import org.flowwatch.ops.IgnoredNames;
import org.flowwatch.text.Printable;

/** {@code status --ignored}: what the agent saved in {@code ignored.json}, as a table or JSON. */
final class IgnoredOutput {
  private IgnoredOutput() {}

  static int print(Terminal terminal, StateLayout state, boolean json) {
    IgnoredNames.Saved saved;
    try {
      saved = IgnoredNames.read(state.ignored());
    } catch (IOException | RuntimeException e) {
      throw new UsageException("cannot read " + state.ignored() + ": " + e.getMessage() + "; it is rewritten by"
          + " the agent when what it ignores changes, so restart the agent to write it again");
    }
    PrintWriter out = terminal.out();
    if (json) {
      ArrayNode arr = new ObjectMapper().createArrayNode();
      saved.entries().forEach(e -> arr.addObject().put("name", e.name()).put("reason", e.reason())
          .put("since", e.since().toString()));
      out.println(arr.toPrettyString());
    } else {
      String format = "%-24s %-20s  %s%n";
      out.printf(format, "NAME", "SINCE", "REASON");
      saved.entries().forEach(e -> out.printf(format, Printable.line(e.name()), e.since(), Printable.line(e.reason())));
    }
    if (saved.updatedAt() == null) {
      terminal.err().println("no agent has recorded ignored names in " + state.directory() + " (it writes "
          + state.ignored().getFileName() + " when it first lists the watch directory)");
    } else {
      terminal.err().println(saved.entries().size() + " ignored name" + (saved.entries().size() == 1 ? "" : "s")
          + ", as the agent saw them at " + saved.updatedAt() + (saved.notKept() > 0 ? "; " + saved.notKept()
          + " more were not kept (at most " + IgnoredNames.KEEP_AT_MOST + ")" : ""));
    }
    return ExitCode.OK;
  }
}
