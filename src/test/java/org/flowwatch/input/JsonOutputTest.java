package org.flowwatch.input;

import static org.flowwatch.input.TestFiles.FRIB_EXAMPLE;
import static org.flowwatch.input.TestFiles.parse;
import static org.flowwatch.input.TestFiles.text;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JsonOutputTest {

  @Test
  void reprintsTheFribExampleByteForByte() {
    String expected = text(FRIB_EXAMPLE);

    assertEquals(expected, JsonOutput.pretty(parse(expected)));
  }

  @Test
  void writesEmptyContainersNestingAndEscapesAsPythonDoes() {
    // Expected text printed by: json.dumps(doc, indent=2, ensure_ascii=False) on CPython 3.11.
    String expected = "{\n  \"a\": \"é\\u0001\u007f\\\"\\\\\\n\\t\\b\\f\\r\",\n  \"b\": [],\n  \"c\": {},\n"
        + "  \"d\": [\n    1,\n    {\n      \"e\": null\n    }\n  ]\n}";

    String out = JsonOutput.pretty(parse("{\"a\": \"é\\u0001\u007f\\\"\\\\\\n\\t\\b\\f\\r\", \"b\": [], \"c\": {},"
        + " \"d\": [1, {\"e\": null}]}"));

    assertEquals(expected, out);
  }

  @Test
  void writesTopLevelScalarsAlone() {
    assertEquals("\"run1217\"", JsonOutput.pretty(parse("\"run1217\"")));
    assertEquals("[]", JsonOutput.pretty(parse("[]")));
    assertEquals("123456789012345678901234567890", JsonOutput.pretty(parse("123456789012345678901234567890")));
  }

  // Left: the double; right: Python's repr of it (CPython 3.11).
  @ParameterizedTest
  @CsvSource({
    "0.0, 0.0", "-0.0, -0.0", "1.0, 1.0", "1.5, 1.5", "0.1, 0.1", "1e15, 1000000000000000.0", "1e16, 1e+16",
    "1.5e16, 1.5e+16", "1e-4, 0.0001", "1e-5, 1e-05", "123456.789, 123456.789", "2.5e-7, 2.5e-07",
    "1e22, 1e+22", "-3.25, -3.25", "4.9e-324, 5e-324", "1.7976931348623157e308, 1.7976931348623157e+308",
    "0.30000000000000004, 0.30000000000000004"
  })
  void writesFloatsAsPythonsRepr(double value, String python) {
    assertEquals(python, JsonOutput.pretty(JsonNodeFactory.instance.numberNode(value)));
  }

  @Test
  void writesNonFiniteFloatsAsPythonDoes() {
    assertEquals("NaN", JsonOutput.pythonFloat(Double.NaN));
    assertEquals("Infinity", JsonOutput.pythonFloat(Double.POSITIVE_INFINITY));
    assertEquals("-Infinity", JsonOutput.pythonFloat(Double.NEGATIVE_INFINITY));
  }
}
