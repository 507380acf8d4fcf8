package org.flowwatch.text;

import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;

/**
 * Instants as ISO 8601 text: exactly {@link Instant#toString()} and {@link Instant#parse}, without their
 * formatter. Every ledger row read and written carries up to five of them, and every run the Flows
 * service describes two more (with a {@code +00:00} offset); java.time's general formatter was a tenth of
 * the agent's CPU per start, and the largest code it compiled. Text of any other shape (a row written by
 * hand, a year past 9999) goes to {@link Instant#parse}, which decides.
 */
public final class IsoInstant {
  private IsoInstant() {}

  /** The same text as {@link Instant#toString()}: seconds always, the fraction in groups of three digits. */
  public static String format(Instant t) {
    long seconds = t.getEpochSecond();
    long day = Math.floorDiv(seconds, 86_400);
    int second = (int) Math.floorMod(seconds, 86_400);
    LocalDate date = LocalDate.ofEpochDay(day);
    if (date.getYear() < 0 || date.getYear() > 9999) {
      return t.toString();
    }
    StringBuilder s = new StringBuilder(30);
    digits(s, date.getYear(), 4).append('-');
    digits(s, date.getMonthValue(), 2).append('-');
    digits(s, date.getDayOfMonth(), 2).append('T');
    digits(s, second / 3600, 2).append(':');
    digits(s, second / 60 % 60, 2).append(':');
    digits(s, second % 60, 2);
    int nano = t.getNano();
    if (nano != 0) {
      s.append('.');
      if (nano % 1_000_000 == 0) {
        digits(s, nano / 1_000_000, 3);
      } else if (nano % 1000 == 0) {
        digits(s, nano / 1000, 6);
      } else {
        digits(s, nano, 9);
      }
    }
    return s.append('Z').toString();
  }

  /**
   * What {@link Instant#parse} makes of the text: {@code yyyy-MM-ddTHH:mm:ss}, a fraction of 1-9 digits or
   * none, then {@code Z} or an offset {@code +HH:MM} / {@code -HH:MM}.
   *
   * @throws DateTimeParseException as {@link Instant#parse} does
   */
  public static Instant parse(String text) {
    int n = text.length();
    int zone = n > 0 && text.charAt(n - 1) == 'Z' ? 1
        : n > 6 && (at(text, n - 6, '+') || at(text, n - 6, '-')) && at(text, n - 3, ':') ? 6 : 0;
    int end = n - zone; // where the date and time end
    if (zone == 0 || end != 19 && (end < 21 || end > 29) || !at(text, 4, '-') || !at(text, 7, '-')
        || !at(text, 10, 'T') || !at(text, 13, ':') || !at(text, 16, ':') || end > 19 && !at(text, 19, '.')) {
      return Instant.parse(text);
    }
    int year = number(text, 0, 4);
    int month = number(text, 5, 7);
    int day = number(text, 8, 10);
    int hour = number(text, 11, 13);
    int minute = number(text, 14, 16);
    int second = number(text, 17, 19);
    int fraction = end > 19 ? number(text, 20, end) : 0;
    int offsetHours = zone == 6 ? number(text, n - 5, n - 3) : 0;
    int offsetMinutes = zone == 6 ? number(text, n - 2, n) : 0;
    if (year < 0 || month < 1 || month > 12 || day < 1 || day > 28 && day > YearMonth.of(year, month).lengthOfMonth()
        || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59 || fraction < 0
        || offsetHours < 0 || offsetHours > 17 || offsetMinutes < 0 || offsetMinutes > 59) {
      return Instant.parse(text); // no such day, a leap second, 24:00, a sign, an odd offset: java.time decides
    }
    for (int i = end; i < 29; i++) {
      fraction *= 10;
    }
    int offset = (zone == 6 && at(text, n - 6, '-') ? -1 : 1) * (offsetHours * 3600 + offsetMinutes * 60);
    long epochDay = LocalDate.of(year, month, day).toEpochDay();
    return Instant.ofEpochSecond(epochDay * 86_400 + hour * 3600 + minute * 60 + second - offset, fraction);
  }

  private static boolean at(String text, int i, char c) {
    return text.charAt(i) == c;
  }

  /** The decimal number text[from, to), or -1 when a character is not an ASCII digit. */
  private static int number(String text, int from, int to) {
    int value = 0;
    for (int i = from; i < to; i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }

  private static StringBuilder digits(StringBuilder s, int value, int width) {
    String d = Integer.toString(value);
    for (int i = d.length(); i < width; i++) {
      s.append('0');
    }
    return s.append(d);
  }
}
