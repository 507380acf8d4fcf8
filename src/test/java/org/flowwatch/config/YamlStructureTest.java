package org.flowwatch.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** YAML that would not mean what it says is refused, and syntax errors are one sentence at one place. */
class YamlStructureTest {
  private static final String FILE = "flowwatch.yaml";

  private static String failure(String yaml) {
    return assertThrows(ConfigException.class, () -> LocatedYaml.parse(yaml, FILE)).getMessage();
  }

  static Stream<Arguments> refused() {
    return Stream.of(
        Arguments.of("an alias", "a: &x 1\nb: *x\n", "flowwatch.yaml:1:4: YAML anchors and aliases (&x, *x) are"
            + " not supported, and &x is one; write the value out in full where it is used"),
        Arguments.of("an alias alone", "a: 1\nb: *x\n", "flowwatch.yaml:2:4: YAML anchors and aliases (&x, *x)"
            + " are not supported, and *x is one; write the value out in full where it is used"),
        Arguments.of("an anchored mapping", "input:\n  base: &base\n    x: 1\n",
            "flowwatch.yaml:2:9: YAML anchors and aliases (&x, *x) are not supported, and &base is one;"
                + " write the value out in full where it is used"),
        Arguments.of("an anchored list item", "l:\n  - &i 1\n", "flowwatch.yaml:2:5: YAML anchors"),
        Arguments.of("an anchored key", "&k a: 1\n", "flowwatch.yaml:1:1: YAML anchors"),
        Arguments.of("a merge key", "a:\n  <<: {b: 1}\n  c: 2\n",
            "flowwatch.yaml:2:3: YAML merge keys (<<) are not supported; write the keys out in this mapping"),
        Arguments.of("a second document", "a: 1\n---\nb: 2\n", "flowwatch.yaml:2:1: a second YAML document"
            + " starts here; a flowwatch file holds one document, so remove this '---' and what follows, or"
            + " merge it into the first"),
        Arguments.of("an empty second document", "---\na: 1\n---\n", "flowwatch.yaml:3:1: a second YAML document"),
        Arguments.of("a document after '...'", "a: 1\n...\n---\nb: 2\n", "flowwatch.yaml:3:1: a second YAML"),
        Arguments.of("a local tag", "a: !foo 3\n", "flowwatch.yaml:1:4: the YAML tag !foo is not supported;"
            + " remove it and write the value itself (quote it to make it text)"),
        Arguments.of("a null tag Jackson reads as text", "a: !!null ''\n", "flowwatch.yaml:1:4: the YAML tag"
            + " !!null is not supported"),
        Arguments.of("a binary tag", "a: !!binary aGVsbG8=\n", "flowwatch.yaml:1:4: the YAML tag !!binary"),
        Arguments.of("a tab for indentation", "a:\n\tb: 1\n", "flowwatch.yaml:2:1: this is not valid YAML: a tab"
            + " is used for indentation here; YAML indents with spaces only"),
        Arguments.of("an unclosed list", "flow:\n  id: [unclosed\nb: 1\n", "flowwatch.yaml:2:7: this is not valid"
            + " YAML: the '[' here is not closed; end the list with ']' and separate its items with ','"),
        Arguments.of("an unclosed list at the end", "flow: [\n", "flowwatch.yaml:2:1: this is not valid YAML:"
            + " the file ends inside a list or mapping whose '[' or '{' is not closed"),
        Arguments.of("an unclosed list over lines", "a: [\n  1,\n  2\nb: 3\n", "flowwatch.yaml:1:4: this is not"
            + " valid YAML: the '[' here is not closed"),
        Arguments.of("an unclosed mapping", "a: {x: 1\n", "flowwatch.yaml:1:4: this is not valid YAML: the '{'"
            + " here is not closed; end the mapping with '}' and separate its entries with ','"),
        Arguments.of("an unclosed quote", "a: 'unclosed\n", "flowwatch.yaml:1:4: this is not valid YAML: the"
            + " quote that starts here is not closed"),
        Arguments.of("bad indentation", "a:\n  b: 1\n c: 2\n", "flowwatch.yaml:3:2: this is not valid YAML:"
            + " this line is indented differently from the entries before it; entries of one mapping or list"
            + " start in the same column"),
        Arguments.of("a colon in a plain value", "a: b: c\n", "flowwatch.yaml:1:5: this is not valid YAML: a ': '"
            + " cannot appear in an unquoted value; put the value in quotes, or check this line's indentation"),
        Arguments.of("a reserved character", "a: @x\n", "flowwatch.yaml:1:4: this is not valid YAML: a value"
            + " cannot start with '@'; put the value in quotes"),
        Arguments.of("an unknown escape", "a: \"\\q\"\n", "flowwatch.yaml:1:6: this is not valid YAML: this"
            + " backslash escape is not one YAML knows"),
        Arguments.of("a key without a colon", "a: 1\nb\nc: 2\n", "flowwatch.yaml:2:1: this is not valid YAML:"),
        Arguments.of("a control character", "a: 1\nb: x\u0001\n", "flowwatch.yaml:2:5: the character U+0001 is"
            + " not allowed in a YAML file; remove it"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refused")
  void refusesWithOneSentenceAtOnePlace(String what, String yaml, String expectedStart) {
    String msg = failure(yaml);

    assertTrue(msg.startsWith(expectedStart), msg);
    assertFalse(msg.contains("\n"), msg);
    assertFalse(msg.matches(".*(line|column) \\d.*"), msg);
    for (String internal : new String[] {"reader", "^", "SnakeYAML", "snakeyaml", "Exception",
        "<block", "<stream", "scalar", "token"}) {
      assertFalse(msg.contains(internal), "'" + internal + "' in: " + msg);
    }
  }

  @Test
  void plainYamlStillReads() {
    LocatedYaml doc = LocatedYaml.parse("---\n# leading marker is fine\na: !!str 123\nb: [1, 2]\n'<<': literal\n"
        + "c: {d: \"e\"}\n...\n", FILE);

    assertEquals("123", doc.root().get("a").textValue());
    assertEquals(2, doc.root().get("b").size());
    assertEquals("literal", doc.root().get("<<").textValue());
    assertEquals("e", doc.root().get("c").get("d").textValue());
  }

  @Test
  void aStarOrAmpersandInsideAValueIsText() {
    LocatedYaml doc = LocatedYaml.parse("glob: \"*.evt\"\nq: a & b\nr: x*y\n", FILE);

    assertEquals("*.evt", doc.root().get("glob").textValue());
    assertEquals("a & b", doc.root().get("q").textValue());
    assertEquals("x*y", doc.root().get("r").textValue());
  }
}
