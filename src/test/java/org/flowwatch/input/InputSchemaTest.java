package org.flowwatch.input;

import static org.flowwatch.input.TestFiles.FLOWCRON_SCHEMA;
import static org.flowwatch.input.TestFiles.FRIB_EXAMPLE;
import static org.flowwatch.input.TestFiles.FRIB_SCHEMA;
import static org.flowwatch.input.TestFiles.FRIB_TRANSFER_SCHEMA;
import static org.flowwatch.input.TestFiles.json;
import static org.flowwatch.input.TestFiles.parse;
import static org.flowwatch.input.TestFiles.path;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InputSchemaTest {
  private final InputSchema frib = InputSchema.load(path(FRIB_SCHEMA));

  private static ObjectNode fribExample() {
    return (ObjectNode) json(FRIB_EXAMPLE);
  }

  @Test
  void theFribExampleInputIsValidAgainstTheRealSchema() {
    ValidationReport report = frib.validate(fribExample());

    assertTrue(report.isValid(), report::toString);
  }

  @Test
  void anExtraKeyIsReportedAtTheObjectThatHoldsIt() {
    ObjectNode doc = fribExample();
    doc.withObjectProperty("fit").withObjectProperty("kwargs").put("x", 1);

    ValidationReport report = frib.validate(doc);

    assertEquals(List.of(new Violation("/fit/kwargs", "extraneous key [x] is not permitted")), report.violations());
  }

  @Test
  void aMissingRecursiveTxIsReportedAtTheTransferObject() {
    ObjectNode doc = fribExample();
    doc.withObjectProperty("rawdata").remove("recursive_tx");

    ValidationReport report = frib.validate(doc);

    assertEquals(List.of(new Violation("/rawdata", "required key [recursive_tx] not found")), report.violations());
  }

  @Test
  void aComputeEndpointThatIsNotAUuidIsReported() {
    ObjectNode doc = fribExample();
    doc.withObjectProperty("fit").put("endpoint", "nope");

    ValidationReport report = frib.validate(doc);

    assertEquals(List.of(new Violation("/fit/endpoint", "[nope] is not a valid uuid")), report.violations());
  }

  @Test
  void everyViolationIsReportedSortedByPointer() {
    ObjectNode doc = fribExample();
    doc.withObjectProperty("fit").withObjectProperty("kwargs").put("x", 1);
    doc.withObjectProperty("rawdata").remove("recursive_tx");
    doc.withObjectProperty("fit").put("endpoint", "nope");
    doc.withObjectProperty("pipeline_output").put("sync_level", "3");
    doc.remove("analyze");

    ValidationReport report = frib.validate(doc);

    assertEquals(List.of(
        new Violation("", "required key [analyze] not found"),
        new Violation("/fit/endpoint", "[nope] is not a valid uuid"),
        new Violation("/fit/kwargs", "extraneous key [x] is not permitted"),
        new Violation("/pipeline_output/sync_level", "expected type: integer, found: string"),
        new Violation("/rawdata", "required key [recursive_tx] not found")), report.violations());
    assertEquals("""
        (root): required key [analyze] not found
        /fit/endpoint: [nope] is not a valid uuid
        /fit/kwargs: extraneous key [x] is not permitted
        /pipeline_output/sync_level: expected type: integer, found: string
        /rawdata: required key [recursive_tx] not found""", report.format());
  }

  @Test
  void aBadCollectionIdIsReportedOnceThoughSchemaAndCollectionCheckBothSeeIt() {
    ObjectNode doc = fribExample();
    doc.withObjectProperty("rawdata").withObjectProperty("source").put("id", "nope");
    doc.withObjectProperty("pipeline_output").put("destination", "/mnt/sci-dtn/x");

    ValidationReport report = frib.validate(doc);

    assertEquals(List.of(
        new Violation("/pipeline_output/destination", "expected type: object, found: string"),
        new Violation("/rawdata/source/id", "[nope] is not a valid uuid")), report.violations());
  }

  @Test
  void aGlobusCollectionObjectIsCheckedEvenWhenTheSchemaSaysNothingElse() {
    InputSchema schema = InputSchema.compile(parse("""
        {"properties": {"transfer": {"properties": {
          "source": {"type": "object", "format": "globus-collection"},
          "destination": {"format": "globus-collection"},
          "extra": {"format": "globus-collection"}}}}}"""), "inline");
    JsonNode doc = parse("""
        {"transfer": {"source": {"id": "nope", "path": 3}, "destination": {}, "extra": "x"}}""");

    ValidationReport report = schema.validate(doc);

    assertEquals(List.of(
        new Violation("/transfer/destination", "required key [id] not found"),
        new Violation("/transfer/destination", "required key [path] not found"),
        new Violation("/transfer/extra", "expected type: object, found: string"),
        new Violation("/transfer/source/id", "[nope] is not a valid uuid"),
        new Violation("/transfer/source/path", "expected type: string, found: integer")), report.violations());
  }

  @Test
  void theFlowCronAndFribTransferSchemasLoadAndValidate() {
    InputSchema flowCron = InputSchema.load(path(FLOWCRON_SCHEMA));
    InputSchema transfer = InputSchema.load(path(FRIB_TRANSFER_SCHEMA));

    ValidationReport good = flowCron.validate(parse("""
        {"input": {"source": {"id": "9656eff2-8105-445c-8501-154dfe1d88e5", "path": "/jobs/run1/"}, "delete": false}}"""));
    ValidationReport bad = transfer.validate(parse("""
        {"transfer": {"source": {"id": "9656eff2-8105-445c-8501-154dfe1d88e5"}, "recursive_tx": true}}"""));

    assertTrue(good.isValid(), good::toString);
    assertEquals(List.of(
        new Violation("/transfer", "required key [destination] not found"),
        new Violation("/transfer/source", "required key [path] not found")), bad.violations());
  }

  @Test
  void nullValuesReachTheValidator() {
    ObjectNode doc = fribExample();
    doc.withObjectProperty("rawdata").putNull("sync_level");

    ValidationReport report = frib.validate(doc);

    assertEquals(List.of(new Violation("/rawdata/sync_level", "expected type: integer, found: null")),
        report.violations());
  }

  @Test
  void pointersEscapeSlashAndTildeEvenWhereEveritDoesNot() {
    InputSchema schema = InputSchema.compile(parse("""
        {"properties": {"a/b": {"properties": {"c~d": {"type": "integer"}}}}}"""), "inline");

    ValidationReport report = schema.validate(parse("{\"a/b\": {\"c~d\": \"x\"}}"));

    assertEquals(List.of(new Violation("/a~1b/c~0d", "expected type: integer, found: string")), report.violations());
  }

  @Test
  void aFailedOneOfIsOneViolationListingEachAlternative() {
    InputSchema schema = InputSchema.compile(parse("""
        {"properties": {"level": {"type": ["integer", "null"]}}}"""), "inline");

    ValidationReport report = schema.validate(parse("{\"level\": \"3\"}"));

    assertEquals(1, report.violations().size(), report::toString);
    Violation v = report.violations().get(0);
    assertEquals("/level", v.pointer());
    assertTrue(v.message().contains("expected type: integer, found: string"), v.message());
  }

  @Test
  void aMissingSchemaFileNamesThePath(@TempDir Path tmp) {
    Path missing = tmp.resolve("schema.json");

    SchemaException e = assertThrows(SchemaException.class, () -> InputSchema.load(missing));

    assertTrue(e.getMessage().contains(missing + " does not exist"), e.getMessage());
  }

  @Test
  void invalidJsonIsReportedWithLineAndColumn(@TempDir Path tmp) throws IOException {
    Path file = Files.writeString(tmp.resolve("schema.json"),
        "{\n  \"type\": \"object\",\n  \"required\": [\"a\",]\n}\n");

    SchemaException e = assertThrows(SchemaException.class, () -> InputSchema.load(file));

    assertTrue(e.getMessage().contains(file + " is not valid JSON at line 3, column"), e.getMessage());
  }

  @Test
  void aSchemaThatIsNotAnObjectIsRejected(@TempDir Path tmp) throws IOException {
    Path file = Files.writeString(tmp.resolve("schema.json"), "[]");

    SchemaException e = assertThrows(SchemaException.class, () -> InputSchema.load(file));

    assertTrue(e.getMessage().contains("must be a JSON object"), e.getMessage());
    assertTrue(e.getMessage().contains("it is array"), e.getMessage());
  }

  @Test
  void aRemoteRefIsRefusedWithoutANetworkCall() {
    SchemaException e = assertThrows(SchemaException.class,
        () -> InputSchema.compile(parse("{\"$ref\": \"https://example.org/schema.json\"}"), "inline"));

    assertTrue(e.getMessage().contains("'https://example.org/schema.json'"), e.getMessage());
  }

  @Test
  void anUnknownTypeIsAnInvalidSchema() {
    SchemaException e = assertThrows(SchemaException.class,
        () -> InputSchema.compile(parse("{\"type\": \"strnig\"}"), "inline"));

    assertTrue(e.getMessage().contains("unknown type: [strnig]"), e.getMessage());
  }

  @Test
  void givenTheSameSchemaCompiledTwice_thenTheSecondCompileIsTheFirstOne_andAChangedOneIsCompiledAnew() {
    String origin = "memo-test.json";
    ObjectNode numbers = (ObjectNode) parse("{\"type\": \"object\", \"properties\": {\"n\": {\"type\": \"integer\"}}}");
    InputSchema first = InputSchema.compile(numbers, origin);

    assertTrue(first == InputSchema.compile(numbers.deepCopy(), origin), "an equal tree is not compiled again");

    ObjectNode strings = numbers.deepCopy();
    strings.withObjectProperty("properties").withObjectProperty("n").put("type", "string");
    InputSchema second = InputSchema.compile(strings, origin);
    JsonNode doc = parse("{\"n\": 1}");
    assertTrue(first.validate(doc).isValid());
    assertEquals(List.of(new Violation("/n", "expected type: string, found: integer")), second.validate(doc).violations());
    assertTrue(second != InputSchema.compile(numbers, "other.json"), "another origin names another schema");
  }
}
