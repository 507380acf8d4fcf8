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
}
