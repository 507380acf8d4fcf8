package org.flowwatch.input;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SchemaDraftTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private static JsonNode json(String text) throws Exception {
    return MAPPER.readTree(text.replace('\'', '"'));
  }

  @Test
  void draftSevenOrNoDraftIsWhatWeValidate() throws Exception {
    assertEquals(Optional.empty(), SchemaDraft.otherDraft(json("{'$schema': 'http://json-schema.org/draft-07/schema#'}")));
    assertEquals(Optional.empty(), SchemaDraft.otherDraft(json("{'$schema': 'https://json-schema.org/draft-07/schema'}")));
    assertEquals(Optional.empty(), SchemaDraft.otherDraft(json("{'type': 'object'}")));
  }

  @Test
  void otherDraftsAreNamed() throws Exception {
    assertEquals(Optional.of("2020-12"), SchemaDraft.otherDraft(json("{'$schema': 'https://json-schema.org/draft/2020-12/schema'}")));
    assertEquals(Optional.of("2019-09"), SchemaDraft.otherDraft(json("{'$schema': 'https://json-schema.org/draft/2019-09/schema'}")));
    assertEquals(Optional.of("draft 4"), SchemaDraft.otherDraft(json("{'$schema': 'http://json-schema.org/draft-04/schema#'}")));
  }

  @Test
  void unknownKeywordsAreFoundInEverySubschemaButNotInPropertyNames() throws Exception {
    JsonNode schema = json("{'type': 'object', 'properties': {'prefixItems': {'type': 'array',"
        + " 'prefixItems': [{'type': 'string'}]}}, 'allOf': [{'$defs': {}}], 'x-note': 1}");
    assertEquals(List.of("/properties/prefixItems/prefixItems", "/allOf/0/$defs", "/x-note"),
        SchemaDraft.unknownKeywords(schema));
  }

  @Test
  void aSchemaOfAnotherDraftIsRefusedNamingDraftSeven() {
    SchemaException e = assertThrows(SchemaException.class, () -> InputSchema.parse(
        "{\"$schema\": \"https://json-schema.org/draft/2020-12/schema\", \"type\": \"object\"}", "s.json"));
    assertTrue(e.getMessage().startsWith("Flow input schema s.json is written for JSON Schema 2020-12"), e.getMessage());
    assertTrue(e.getMessage().contains("flowwatch validates draft 7"), e.getMessage());
  }
}
