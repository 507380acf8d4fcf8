package org.flowwatch.input;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InputTemplateTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final Map<String, Object> facts = new LinkedHashMap<>();
  private final InputTemplate template = new InputTemplate(Map.of("NERSC_USER", "chester"));

  InputTemplateTest() {
    facts.put("run.name", "run1217");
    facts.put("run.number", 1217L);
    facts.put("run.segments", 3L);
    facts.put("run.files", List.of("run-1217-00.evt", "run-1217-01.evt"));
    facts.put("vars.notify", true);
    facts.put("vars.ratio", 0.5);
    facts.put("vars.whole", 3.0);
    facts.put("vars.big", new BigInteger("123456789012345678901234567890"));
    facts.put("vars.rule", json("{\"method\": \"include\"}"));
  }

  private static JsonNode json(String text) {
    try {
      return MAPPER.readTree(text);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new java.util.ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  @Test
  void aWholeStringPlaceholderKeepsTheFactsType() {
    JsonNode template = json("{\"n\": \"{run.number}\", \"b\": \"{vars.notify}\", \"f\": \"{run.files}\","
        + " \"o\": \"{vars.rule}\", \"x\": \"{vars.ratio}\", \"big\": \"{vars.big}\"}");

    JsonNode out = this.template.render(template, facts);

    assertEquals(json("{\"n\": 1217, \"b\": true, \"f\": [\"run-1217-00.evt\", \"run-1217-01.evt\"],"
        + " \"o\": {\"method\": \"include\"}, \"x\": 0.5, \"big\": 123456789012345678901234567890}"), out);
    assertTrue(out.get("n").isIntegralNumber());
  }

  @Test
  void embeddedPlaceholdersAreWrittenAsTextWithoutTrailingPointZero() {
    String out = template.renderString(
        "{run.name}: {run.segments} segments, x{vars.whole}, {vars.ratio}, {vars.notify}", facts);

    assertEquals("run1217: 3 segments, x3, 0.5, true", out);
  }

  @Test
  void zeroPadsNumbersWithAFormat() {
    facts.put("run.seven", 7L);

    assertEquals("run-1217", template.renderString("run-{run.number:%04d}", facts));
    assertEquals("0007", template.renderString("{run.seven:%04d}", facts));
    assertEquals("1217.00", template.renderString("{run.number:%.2f}", facts));
  }

  @Test
  void aFormattedWholeStringPlaceholderGivesAString() {
    JsonNode out = template.render(json("{\"n\": \"{run.number:%06d}\"}"), facts);

    assertEquals("001217", out.get("n").textValue());
  }

  @Test
  void doubledBracesAreLiteralBraces() {
    assertEquals("{run.name} is run1217 {}", template.renderString("{{run.name}} is {run.name} {{}}", facts));
  }

  @Test
  void repeatedOrdinaryCharactersAreKept() {
    assertEquals("flowwatch ff16dcd1 //x", template.renderString("flowwatch ff16dcd1 //x", facts));
  }

  @Test
  void keysStayLiteralAndTheTemplateIsNotChanged() {
    JsonNode input = json("{\"{run.name}\": {\"b\": 1, \"a\": [\"{run.name}\", 2, null]}}");
    JsonNode before = input.deepCopy();

    JsonNode out = template.render(input, facts);

    assertEquals(json("{\"{run.name}\": {\"b\": 1, \"a\": [\"run1217\", 2, null]}}"), out);
    assertEquals(List.of("b", "a"), fieldNames(out.get("{run.name}")));
    assertEquals(before, input);
  }

  @Test
  void anUnknownFactNamesThePointerAndListsTheFactsWithASuggestion() {
    JsonNode input = json("{\"rawdata\": {\"destination\": {\"path\": \"/x/{run.nubmer}\"}}}");

    TemplateException e = assertThrows(TemplateException.class, () -> template.render(input, facts));

    assertTrue(e.getMessage().contains("{run.nubmer}"), e.getMessage());
    assertTrue(e.getMessage().contains("/rawdata/destination/path"), e.getMessage());
    assertTrue(e.getMessage().contains("Did you mean {run.number}?"), e.getMessage());
    assertTrue(e.getMessage().contains("run.files, run.name, run.number, run.segments, vars.big"), e.getMessage());
  }

  @Test
  void aFormatThatDoesNotFitTheValueNamesPlaceholderTypeAndFormat() {
    TemplateException e = assertThrows(TemplateException.class,
        () -> template.renderString("{run.name:%04d}", facts, "flow.label"));

    assertTrue(e.getMessage().contains("{run.name:%04d}"), e.getMessage());
    assertTrue(e.getMessage().contains("flow.label"), e.getMessage());
    assertTrue(e.getMessage().contains("a string (\"run1217\")"), e.getMessage());
    assertTrue(e.getMessage().contains("format %04d"), e.getMessage());
    assertTrue(e.getMessage().contains("needs a whole number"), e.getMessage());
    assertFalse(e.getMessage().contains("Exception"), e.getMessage());
  }

  @Test
  void formatsAreBoundedAndConvertExactlyOneValue() {
    String[][] cases = {
        {"{run.number:%0999999999d}", "the width in '%0999999999d' is 999999999; it may be at most 64"},
        {"{run.number:%.999999999f}", "the precision in '%.999999999f' is 999999999; it may be at most 64"},
        {"{run.number:%65d}", "the width in '%65d' is 65; it may be at most 64"},
        {"{run.number:%q}", "'%q' is not a format flowwatch knows"},
        {"{run.number:%1$d}", "'%1$d' is not a format flowwatch knows"},
        {"{run.number:%d%s}", "must convert exactly one value, but it has 2 (%d, %s)"},
    };
    for (String[] c : cases) {
      TemplateException e = assertThrows(TemplateException.class, () -> template.renderString(c[0], facts, "flow.label"),
          c[0]);
      assertTrue(e.getMessage().contains(c[1]), c[0] + ": " + e.getMessage());
    }
    assertEquals(64, template.renderString("{run.number:%64d}", facts, "flow.label").length());
    assertEquals("1217.00", template.renderString("{run.number:%.2f}", facts, "flow.label"));
  }

  @Test
  void anUnclosedBraceOrASingleClosingBraceIsAnError() {
    TemplateException unclosed =
        assertThrows(TemplateException.class, () -> template.renderString("run-{run.number", facts));
    TemplateException single = assertThrows(TemplateException.class, () -> template.renderString("run}", facts));

    assertTrue(unclosed.getMessage().contains("Unclosed '{'"), unclosed.getMessage());
    assertTrue(single.getMessage().contains("'}}'"), single.getMessage());
  }

  @Test
  void aFormatWithoutPercentIsAnError() {
    TemplateException e = assertThrows(TemplateException.class, () -> template.renderString("{run.number:04d}", facts));

    assertTrue(e.getMessage().contains("Formatter spec"), e.getMessage());
  }

  @Test
  void readsEnvironmentVariablesFromTheGivenMap() {
    JsonNode out = template.render(json("{\"home\": \"/global/homes/c/{env.NERSC_USER}\"}"), facts);

    assertEquals("/global/homes/c/chester", out.get("home").textValue());
  }

  @Test
  void anUnsetEnvironmentVariableIsNamed() {
    TemplateException e = assertThrows(TemplateException.class,
        () -> template.render(json("{\"a\": [\"{env.NERSC_PROJECT}\"]}"), facts));

    assertTrue(e.getMessage().contains("Environment variable NERSC_PROJECT"), e.getMessage());
    assertTrue(e.getMessage().contains("/a/0"), e.getMessage());
  }

  @Test
  void aListInsideALongerStringIsAnError() {
    TemplateException e = assertThrows(TemplateException.class,
        () -> template.render(json("{\"files\": \"files: {run.files}\"}"), facts));

    assertTrue(e.getMessage().contains("{run.files}"), e.getMessage());
    assertTrue(e.getMessage().contains("a list of 2 values"), e.getMessage());
    assertTrue(e.getMessage().contains("whole string"), e.getMessage());
  }

  @Test
  void pointersEscapeSlashAndTildeInKeys() {
    TemplateException e = assertThrows(TemplateException.class,
        () -> template.render(json("{\"a/b\": {\"c~d\": \"{nope}\"}}"), facts));

    assertTrue(e.getMessage().contains("/a~1b/c~0d"), e.getMessage());
  }
}
