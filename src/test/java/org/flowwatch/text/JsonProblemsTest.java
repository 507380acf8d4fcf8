package org.flowwatch.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
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
  void aLimitWithoutWordsOfItsOwnLosesTheSettingsName() throws Exception {
    JsonFactory strict = JsonFactory.builder()
        .streamReadConstraints(StreamReadConstraints.builder().maxDocumentLength(10).build()).build();
    JsonProcessingException e = assertThrows(JsonProcessingException.class,
        () -> new ObjectMapper(strict).readTree("{\"a\": \"" + "x".repeat(100) + "\"}"));
    assertTrue(e.getOriginalMessage().contains("StreamReadConstraints"), e.getOriginalMessage());

    String reason = JsonProblems.reasonOf(e);

    assertFalse(reason.contains("StreamReadConstraints"), reason);
    assertTrue(reason.contains("exceeds the maximum allowed (10)"), reason);
  }
}
