package org.flowwatch.cli;

import java.io.PrintWriter;
import org.flowwatch.config.Config;
import org.flowwatch.flow.FlowLinter;
import org.flowwatch.flow.LintReport;

/** The flow lint every dry run includes: findings on stderr, so stdout keeps only the result. */
final class DryRunLint {
  private DryRunLint() {}

  /** Prints the lint findings of the configured definition and schema; true when there is no error. */
  static boolean report(Config cfg, PrintWriter err) {
    LintReport lint = FlowLinter.lint(cfg);
    lint.lines().forEach(err::println);
    if (!lint.findings().isEmpty()) {
      err.println("lint: " + lint.summary());
    }
    return !lint.hasErrors();
  }
}
