package org.flowwatch.flow;

import java.util.List;
import java.util.TreeSet;

/**
 * Every finding of one lint, sorted by file, line and id, without duplicates.
 *
 * @param findings the findings; empty when nothing was found
 */
public record LintReport(List<Finding> findings) {

  public LintReport {
    findings = List.copyOf(new TreeSet<>(findings));
  }

  public long errors() {
    return findings.stream().filter(f -> f.severity() == Severity.ERROR).count();
  }

  public long warnings() {
    return findings.stream().filter(f -> f.severity() == Severity.WARNING).count();
  }

  /** True when at least one finding is an error: the flow must not be deployed like this. */
  public boolean hasErrors() {
    return errors() > 0;
  }

  /** The findings with this rule. */
  public List<Finding> withRule(LintRule rule) {
    return findings.stream().filter(f -> f.rule() == rule).toList();
  }

  /** One line per finding (see {@link Finding#toString()}). */
  public List<String> lines() {
    return findings.stream().map(Finding::toString).toList();
  }

  /** {@code 2 errors, 5 warnings}. */
  public String summary() {
    return count(errors(), "error") + ", " + count(warnings(), "warning");
  }

  private static String count(long n, String what) {
    return n + " " + what + (n == 1 ? "" : "s");
  }
}
