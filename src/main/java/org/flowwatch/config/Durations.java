package org.flowwatch.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses the duration forms people write in configs and on command lines. */
public final class Durations {
  private static final Pattern SIMPLE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h|d)?");

  private Durations() {}

  /** {@code 30s}, {@code 250ms}, {@code 5m}, {@code 2h}, {@code 1d}, a bare number of seconds, or ISO-8601; null if none. */
  public static Duration parse(String text) {
    String s = text.trim();
    Matcher m = SIMPLE.matcher(s);
    if (m.matches()) {
      double n = Double.parseDouble(m.group(1));
      String unit = m.group(2) == null ? "s" : m.group(2);
      double millis = switch (unit) {
        case "ms" -> n;
        case "m" -> n * 60_000;
        case "h" -> n * 3_600_000;
        case "d" -> n * 86_400_000;
        default -> n * 1000;
      };
      return Duration.ofMillis(Math.round(millis));
    }
    try {
      Duration d = Duration.parse(s.toUpperCase(java.util.Locale.ROOT));
      return d.isNegative() ? null : d;
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /** A duration as a person says it in a log line: {@code 450 ms}, {@code 4 s}, {@code 1.5 s}, {@code 90 s}. */
  public static String spoken(Duration d) {
    long ms = d.toMillis();
    if (ms < 1000) {
      return ms + " ms";
    }
    long tenths = Math.round(ms / 100.0);
    return (tenths % 10 == 0 || tenths >= 100 ? String.valueOf(Math.round(ms / 1000.0)) : (tenths / 10) + "." + (tenths % 10))
        + " s";
  }
}
