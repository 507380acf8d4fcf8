package org.flowwatch.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.flowwatch.flow.JsonPath.Any;
import org.flowwatch.flow.JsonPath.Index;
import org.flowwatch.flow.JsonPath.Key;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class JsonPathTest {

  @Test
  void dottedNamesIndexesAndQuotedNamesBecomeSteps() throws Exception {
    JsonPath path = JsonPath.parse("$.rawdata.DATA[0]['odd key'].path");

    assertEquals(List.of(new Key("rawdata"), new Key("DATA"), new Index(0), new Key("odd key"), new Key("path")),
        path.segments());
    assertEquals("rawdata", path.rootKey());
    assertTrue(path.isPlain());
  }

  @Test
  void theWholeStateIsJustTheDollar() throws Exception {
    JsonPath path = JsonPath.parse("$");

    assertEquals(List.of(), path.segments());
    assertEquals(null, path.rootKey());
  }

  @ParameterizedTest
  @ValueSource(strings = {"$.items[*].name", "$..name", "$.a[1:3]", "$.a[?(@.size > 3)]", "$.a.*", "$.a[0,2]",
      "$.a[-1]", "$.my-key.x_y"})
  void wildcardsSlicesFiltersAndDescentAreValidButNotPlain(String text) throws Exception {
    JsonPath path = JsonPath.parse(text);

    if (!text.equals("$.my-key.x_y")) {
      assertFalse(path.isPlain(), text);
      assertTrue(path.segments().stream().anyMatch(s -> s instanceof Any), text);
    }
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
      "input.source.path | does not start with '$'",
      "$.a. | ends with '.'",
      "$.a..  | ends with '.'",
      "$a.b | where '.' or '[' must come",
      "$.a b | a space in a name",
      "$.a[0 | never closes it",
      "$.a[x] | is not an index",
      "$.{run.number} | '{' in a name",
      "'' | the path is empty"})
  void brokenPathsSayWhatIsWrong(String text, String expected) {
    String path = text.equals("''") ? "" : text;

    JsonPath.SyntaxException e = assertThrows(JsonPath.SyntaxException.class, () -> JsonPath.parse(path));

    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }
}
