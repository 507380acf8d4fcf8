package org.flowwatch.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** The parser's reasons, read from the real parser, come out without its internals. */
class JsonProblemsTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private static String reasonFor(String json) {
    return JsonProblems.reasonOf(assertThrows(JsonProcessingException.class, () -> MAPPER.readTree(json)));
  }

  @Test
  void tooDeepANestingSaysHowDeepIsAllowed() {
    assertEquals("it nests more than 1000 levels deep (arrays and objects within each other)",
        reasonFor("[".repeat(5000) + "]".repeat(5000)));
  }

  @Test
  void tooLongANumberSaysHowLongIsAllowed() {
    assertEquals("a number is 2000 characters long, more than the 1000 allowed",
        reasonFor("{\"n\": " + "9".repeat(2000) + "}"));
  }

  @Test
  void anOrdinarySyntaxErrorKeepsTheParsersWordsOnOneLine() {
    String reason = reasonFor("{\"type\": \"object\",,}");
    assertEquals(-1, reason.indexOf('\n'), reason);
    assertEquals(-1, reason.indexOf("[Source"), reason);
    assertEquals(true, reason.startsWith("Unexpected character (','"), reason);
  }
}
