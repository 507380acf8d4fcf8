package org.flowwatch.watch;

import java.io.PrintWriter;
import java.util.Map;
import java.util.function.BiPredicate;
import org.flowwatch.config.Config;
import org.flowwatch.globus.flows.TriggerToken;
import org.flowwatch.input.InputDocument;
import org.flowwatch.input.JsonOutput;
import org.flowwatch.input.Violation;

/**
 * {@code --rundir DIR --dry-run}: the input document on stdout, its label, tags and verdict on stderr;
 * no ledger, no credentials, no network.
 */
public final class HandStartPreview {
  private final PrintWriter out;
  private final PrintWriter err;
  private final Map<String, String> env;
  private final BiPredicate<Config, PrintWriter> lint;

  /** @param lint prints the flow's lint findings; true when there is no error */
  public HandStartPreview(PrintWriter out, PrintWriter err, Map<String, String> env,
      BiPredicate<Config, PrintWriter> lint) {
    this.out = out;
    this.err = err;
    this.env = env;
    this.lint = lint;
  }

  public Outcome run(StartOptions options) {
    Config cfg = options.loadConfig(env);
    InputDocument doc = new RunLauncher(cfg, env).prepare(options.runDir());
    out.println(JsonOutput.pretty(doc.body()));
    out.flush();
    err.println("label: " + doc.label());
    if (!TriggerToken.shortened(doc.label()).equals(doc.label())) {
      err.println("label shortened to " + TriggerToken.MAX_LABEL + " characters with its trigger token: '"
          + TriggerToken.shortened(doc.label()) + "' (the token always stays whole)");
    }
    err.println("tags: " + String.join(", ", doc.tags()));
    if (cfg.flow().id() == null) {
      err.println("note: flow.id is not set in " + cfg.file() + "; a real start needs it (deploy the flow first)");
    }
    boolean lintClean = lint.test(cfg, err);
    if (doc.isValid()) {
      err.println("valid: the input document matches " + cfg.flow().schema());
      return lintClean ? Outcome.OK : Outcome.INVALID;
    }
    printViolations(err, cfg, doc);
    return Outcome.INVALID;
  }

  static void printViolations(PrintWriter err, Config cfg, InputDocument doc) {
    err.println("invalid: the input document breaks " + cfg.flow().schema() + " in "
        + doc.report().violations().size() + " place(s):");
    for (Violation v : doc.report().violations()) {
      err.println("  " + (v.pointer().isEmpty() ? "(root)" : v.pointer()) + ": " + v.message());
    }
  }
}
