package org.flowwatch.input;

import static org.flowwatch.input.TestFiles.parse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.flowwatch.config.Config;
import org.flowwatch.run.ConfigFixture;
import org.flowwatch.run.RunFacts;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InputDocumentBuilderTest {
  @TempDir Path tmp;
  private Path run;
  private Path schemaFile;

  @BeforeEach
  void makeRunAndSchema() throws IOException {
    Path root = Files.createDirectories(tmp.resolve("data"));
    run = Files.createDirectories(root.resolve("run0042"));
    Files.writeString(run.resolve("run-42-00.evt"), "x");
    schemaFile = Files.writeString(tmp.resolve("schema.json"), """
        {"type": "object", "required": ["run", "segments"],
         "properties": {"run": {"type": "integer"}, "segments": {"type": "integer", "minimum": 2}},
         "additionalProperties": false}""");
  }

  private ConfigFixture config(String template) {
    return ConfigFixture.config()
        .collection("local", "9656eff2-8105-445c-8501-154dfe1d88e5", tmp.resolve("data"), "/data")
        .count("segments", "*.evt")
        .input(parse(template))
        .schema(schemaFile);
  }

  @Test
  void rendersLabelAndTagsAndReportsAnInvalidBodyWithoutThrowing() {
    Config config = config("{\"run\": \"{run.number}\", \"segments\": \"{run.segments}\"}")
        .label("run {run.number:%04d} on {env.HOSTNAME}")
        .tags("flowwatch", "{run.collection}")
        .build();

    InputDocument input = new InputDocumentBuilder(config, Map.of("HOSTNAME", "dtn01"))
        .build(RunFacts.collect(run, config));

    assertEquals(parse("{\"run\": 42, \"segments\": 1}"), input.body());
    assertEquals("run 0042 on dtn01", input.label());
    assertEquals(List.of("flowwatch", "local"), input.tags());
    assertFalse(input.isValid());
    assertEquals(List.of(new Violation("/segments", "1 is not greater or equal to 2")), input.report().violations());
  }

  @Test
  void aBadTagNamesItsIndex() {
    Config config = config("{}").tags("ok", "{run.nope}").build();

    TemplateException e = assertThrows(TemplateException.class,
        () -> new InputDocumentBuilder(config, Map.of()).build(RunFacts.collect(run, config)));

    assertTrue(e.getMessage().contains("flow.tags[1]"), e.getMessage());
  }

  @Test
  void compilesTheSchemaOnceAndKeepsIt() throws IOException {
    Config config = config("{\"run\": \"{run.number}\", \"segments\": 2}").build();
    InputDocumentBuilder builder = new InputDocumentBuilder(config, Map.of());
    InputSchema first = builder.schema();

    Files.delete(schemaFile);
    InputDocument input = builder.build(RunFacts.collect(run, config));

    assertSame(first, builder.schema());
    assertTrue(input.isValid(), input.report()::toString);
  }

  @Test
  void aMissingSchemaFileIsASchemaException() throws IOException {
    Files.delete(schemaFile);
    Config config = config("{}").build();

    SchemaException e = assertThrows(SchemaException.class,
        () -> new InputDocumentBuilder(config, Map.of()).build(RunFacts.collect(run, config)));

    assertTrue(e.getMessage().contains(schemaFile.toString()), e.getMessage());
  }
}
