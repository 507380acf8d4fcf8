package org.flowwatch.flow;

import java.util.Locale;

/** How bad a finding is: errors stop a deploy and make lint exit non-zero; warnings are advice. */
public enum Severity {
  ERROR,
  WARNING;

  /** {@code error} or {@code warning}, as printed. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
