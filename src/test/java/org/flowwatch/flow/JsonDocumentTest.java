package org.flowwatch.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonDocumentTest {

  @TempDir Path dir;

  @Test
  void remembersWhereEveryKeyAndValueStarts() {
    JsonDocument doc = JsonDocument.parse("{\n  \"States\": {\n    \"A/B\": {\"Type\": \"Pass\"}\n  }\n}", "f.json");

    assertEquals(new Location(3, 5), doc.keyLocationOf("/States/A~1B"));
    assertEquals(new Location(3, 12), doc.locationOf("/States/A~1B"));
    assertEquals(new Location(3, 21), doc.locationOf("/States/A~1B/Type"));
    assertEquals(new Location(3, 21), doc.locationOf("/States/A~1B/Type/nothing/here"));
  }

  @Test
  void repeatedKeysAreKeptLastWinsAndListed() {
    JsonDocument doc = JsonDocument.parse("{\"a\": 1,\n \"a\": 2}", "f.json");

    assertEquals(2, doc.root().get("a").asInt());
    assertEquals(1, doc.duplicates().size());
    assertEquals(new Location(2, 2), doc.duplicates().get(0).location());
    assertEquals(new Location(1, 2), doc.duplicates().get(0).first());
  }

  @Test
  void invalidJsonIsADocumentWithASyntaxErrorNotAnException() {
    JsonDocument doc = JsonDocument.parse("{\"a\": 1\n \"b\": 2}", "f.json");

    assertFalse(doc.isWellFormed());
    assertEquals(new Location(2, 2), doc.syntaxError().orElseThrow().location());
    assertThrows(IllegalStateException.class, doc::root);
  }

  @Test
  void trailingContentAndEmptyFilesAreSyntaxErrors() {
    assertTrue(JsonDocument.parse("{} {}", "f.json").syntaxError().orElseThrow().reason().contains("after the end"));
    assertTrue(JsonDocument.parse("  ", "f.json").syntaxError().orElseThrow().reason().contains("empty"));
  }

  @Test
  void aMissingFileIsAFlowFileExceptionNamingIt() {
    FlowFileException e = assertThrows(FlowFileException.class,
        () -> JsonDocument.read(dir.resolve("flows/nope.json"), "flow definition"));

    assertTrue(e.getMessage().contains("nope.json: the flow definition file does not exist"), e.getMessage());
  }

  @Test
  void aDirectoryIsNotAJsonFile() throws Exception {
    Files.createDirectories(dir.resolve("flows"));

    FlowFileException e = assertThrows(FlowFileException.class,
        () -> JsonDocument.read(dir.resolve("flows"), "flow definition"));

    assertTrue(e.getMessage().contains("it is a directory"), e.getMessage());
  }
}
