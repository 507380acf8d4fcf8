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

  /**
   * The longest label a run gets, its token included. The service documents no limit; Gladier cuts
   * labels at 64 characters, and a token cut off would make a lost answer impossible to find again.
   */
  public static final int MAX_LABEL = 64;
  /** What is left of {@link #MAX_LABEL} for the run's own label. */
  private static final int ROOM = MAX_LABEL - SEPARATOR.length() - "fw-00000000".length();

  /** {@code "<label> · <token>"}, the label shortened to fit {@link #MAX_LABEL} with the token whole. */
  public String label(String label) {
    return shortened(label) + SEPARATOR + value;
  }

  /** The part of {@code label} a run gets: all of it when it fits beside a token, else its start and '…'. */
  public static String shortened(String label) {
    if (label.length() <= ROOM) {
      return label;
    }
    int end = ROOM - 1;
    if (Character.isHighSurrogate(label.charAt(end - 1))) {
      end--; // never half a character
    }
    return label.substring(0, end) + "\u2026";
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
