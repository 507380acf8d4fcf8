package org.flowwatch.globus.flows;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The short random id a start request carries in its run's label and tags. The Flows start call has no
 * idempotency key and the run list has no tag filter, so the label is how a start whose answer was lost
 * is found again (design.md, "Exactly once"). This class is the one place that knows the format.
 */
public record TriggerToken(String value) {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Pattern FORMAT = Pattern.compile("fw-[0-9a-f]{8}");
  /** Between the run's own label and the token: {@code run1217 · fw-3f9a2c1b}. */
  private static final String SEPARATOR = " \u00b7 ";

  public TriggerToken {
    Objects.requireNonNull(value, "value");
    if (!FORMAT.matcher(value).matches()) {
      throw new IllegalArgumentException("a trigger token looks like fw-3f9a2c1b, got '" + value + "'");
    }
  }

  public static TriggerToken fresh() {
    byte[] b = new byte[4];
    RANDOM.nextBytes(b);
    return new TriggerToken("fw-" + HexFormat.of().formatHex(b));
  }

  /** {@code "<label> · <token>"}. */
  public String label(String label) {
    return label + SEPARATOR + value;
  }

  /** True when {@code run} was started with this token (its label ends with it, or a tag is it). */
  public boolean marks(FlowRun run) {
    return run.label() != null && run.label().endsWith(SEPARATOR + value) || run.tags().contains(value);
  }

  @Override
  public String toString() {
    return value;
  }
}
