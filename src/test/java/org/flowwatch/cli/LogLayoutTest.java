package org.flowwatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** Both log layouts keep one entry on one line whatever a run directory's name holds. */
class LogLayoutTest {
  private static final String EVIL = "run7\n2026-01-01T00:00:00.000Z ERROR forged\r\u001b[2J\u202egpj.exe";

  private static LoggingEvent event() {
    LoggerContext ctx = new LoggerContext();
    LoggingEvent e = new LoggingEvent("x", ctx.getLogger("flowwatch"), Level.INFO, "{}: new run directory",
        null, new Object[] {EVIL});
    e.addKeyValuePair(new org.slf4j.event.KeyValuePair("key", EVIL));
    return e;
  }

  static void assertNoRawControls(String text) {
    for (char c : text.toCharArray()) {
      assertTrue(c == '\n' || c == '\t' || !org.flowwatch.text.Printable.isUnsafe(c),
          "raw U+" + Integer.toHexString(c) + " in: " + text);
    }
  }

  @Test
  void textLinesEscapeControlCharactersInTheMessage() {
    String line = new TextLogLayout().doLayout(event());

    assertEquals(1, line.split("\n", -1).length - 1, line);
    assertNoRawControls(line);
    assertTrue(line.contains("INFO  run7\\n2026-01-01T00:00:00.000Z ERROR forged\\r\\x1b[2J\\u202egpj.exe: new"),
        line);
  }

  @Test
  void jsonLinesStayOneValidObjectWithTheEscapedName() throws Exception {
    String line = new JsonLogLayout().doLayout(event());

    assertEquals(1, line.split("\n", -1).length - 1, line);
    assertNoRawControls(line);
    JsonNode node = new ObjectMapper().readTree(line);
    assertTrue(!node.get("message").asText().contains("\n"), line);
    assertTrue(node.get("message").asText().startsWith("run7\\n2026"), line);
    assertTrue(node.get("key").asText().contains("\\x1b[2J\\u202e"), line);
  }

  @Test
  void theTimeIsTheZonesLocalTimeToTheMillisecondWithItsOffset() {
    java.time.format.DateTimeFormatter full = java.time.format.DateTimeFormatter.ofPattern(
        "yyyy-MM-dd'T'HH:mm:ss.SSSXXX");
    java.util.SplittableRandom random = new java.util.SplittableRandom(7);
    for (String zone : java.util.List.of("UTC", "Europe/Berlin", "America/Detroit", "Asia/Kolkata")) {
      java.time.ZoneId id = java.time.ZoneId.of(zone);
      TextLogLayout layout = new TextLogLayout(id);
      // Around a change to summer time, then at random: each second's text is made once, then reused.
      long spring = java.time.Instant.parse("2026-03-29T00:59:58Z").toEpochMilli();
      for (int i = 0; i < 20_000; i++) {
        long at = i < 5000 ? spring + i : random.nextLong(-2_000_000_000_000L, 4_000_000_000_000L);
        String want = full.format(java.time.Instant.ofEpochMilli(at).atZone(id));
        assertEquals(want, layout.time(new StringBuilder(), at).toString(), zone + " " + at);
      }
    }
  }

  @Test
  void theLevelIsPaddedToFive() {
    LoggerContext ctx = new LoggerContext();
    for (Level level : new Level[] {Level.INFO, Level.WARN, Level.ERROR, Level.DEBUG}) {
      LoggingEvent e = new LoggingEvent("x", ctx.getLogger("flowwatch"), level, "m", null, null);
      String line = new TextLogLayout(java.time.ZoneOffset.UTC).doLayout(e);
      assertEquals(String.format("%-5s m", level), line.substring(line.indexOf('Z') + 2).strip(), line);
    }
  }
}
