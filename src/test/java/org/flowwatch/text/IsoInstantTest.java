package org.flowwatch.text;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** IsoInstant must be Instant.toString and Instant.parse exactly, failures included. */
class IsoInstantTest {
  private static final long YEAR_0 = Instant.parse("0000-01-01T00:00:00Z").getEpochSecond();
  private static final long YEAR_10000 = Instant.parse("+10000-01-01T00:00:00Z").getEpochSecond();

  @Test
  void formatAndParseAgreeWithJavaTimeOnInstantsOfEveryShape() {
    SplittableRandom random = new SplittableRandom(42);
    for (int i = 0; i < 200_000; i++) {
      long seconds = random.nextLong(YEAR_0 - 86_400 * 400L, YEAR_10000 + 86_400 * 400L);
      int nano = switch (i % 4) {
        case 0 -> 0;
        case 1 -> random.nextInt(1000) * 1_000_000;
        case 2 -> random.nextInt(1_000_000) * 1000;
        default -> random.nextInt(1_000_000_000);
      };
      Instant t = Instant.ofEpochSecond(seconds, nano);
      String text = t.toString();
      assertEquals(text, IsoInstant.format(t));
      assertEquals(t, IsoInstant.parse(text), text);
    }
  }

  @Test
  void textWithAnOffsetMeansWhatJavaTimeMakesOfIt() {
    SplittableRandom random = new SplittableRandom(7);
    for (int i = 0; i < 100_000; i++) {
      Instant t = Instant.ofEpochSecond(random.nextLong(YEAR_0 + 86_400, YEAR_10000 - 86_400),
          i % 2 == 0 ? 0 : random.nextInt(1_000_000_000));
      int offset = i % 3 == 0 ? 0 : random.nextInt(-18 * 60, 18 * 60 + 1) * 60;
      // The Flows service's shape: Python's isoformat, microseconds or none, and +00:00 for UTC.
      String text = t.atOffset(java.time.ZoneOffset.ofTotalSeconds(offset)).toLocalDateTime()
          .format(java.time.format.DateTimeFormatter.ISO_LOCAL_DATE_TIME)
          + String.format("%s%02d:%02d", offset < 0 ? "-" : "+", Math.abs(offset) / 3600, Math.abs(offset) / 60 % 60);
      assertEquals(Instant.parse(text), IsoInstant.parse(text), text);
      assertEquals(java.time.OffsetDateTime.parse(text).toInstant(), IsoInstant.parse(text), text);
    }
  }

  @Test
  void textOfOtherShapesMeansWhatJavaTimeMakesOfIt() {
    for (String text : List.of("2024-02-29T12:00:00Z", "2026-12-31T23:59:59.5Z", "2026-12-07T02:04:05.12Z",
        "2026-12-07t02:04:05z", "2026-12-07T03:04:05+01:00", "2016-12-31T23:59:60Z", "+12026-01-01T00:00:00Z",
        "2026-01-02T04:00:00.917000+00:00", "2026-01-02T04:00:00-00:00", "2026-01-02T04:00:00+18:00",
        "2026-01-02T04:00:00.5-05:30", "2026-01-01T00:30:00+01:00")) {
      assertEquals(Instant.parse(text), IsoInstant.parse(text), text);
    }
  }

  @Test
  void textJavaTimeRefusesIsRefused() {
    for (String text : List.of("2026-02-29T12:00:00Z", "2026-13-01T00:00:00Z", "2026-04-31T00:00:00Z",
        "2026-12-07T25:00:00Z", "2026-12-07T02:04:05.Z", "2026-12-07T02:04:05.1234567890Z", "2026-12-07 02:04:05Z",
        "2026-12-07T02:04:5xZ", "", "yesterday", "2026-12-07T02:04:05+19:00", "2026-12-07T02:04:05+01:60",
        "2026-12-07T02:04:05+0100", "2026-12-07T02:04:05+1:00", "2026-12-07T02:04:05 +01:00", "2026-12-07T02:04:05+")) {
      Class<? extends Exception> expected = refusal(() -> Instant.parse(text));
      assertEquals(expected, refusal(() -> IsoInstant.parse(text)), text);
    }
  }

  private static Class<? extends Exception> refusal(Runnable parse) {
    try {
      parse.run();
      return null;
    } catch (DateTimeParseException e) {
      return e.getClass();
    }
  }
}
