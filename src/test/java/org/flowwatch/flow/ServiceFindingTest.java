package org.flowwatch.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.flowwatch.globus.Problem;
import org.flowwatch.globus.flows.FlowValidation;
import org.junit.jupiter.api.Test;

class ServiceFindingTest {

  private static final JsonDocument DEFINITION = JsonDocument.parse(
      "{\"StartAt\": \"Copy\",\n \"States\": {\n  \"Copy\": {\"Type\": \"Action\",\n   \"WaitTime\": 9}}}", "flow.json");
  private static final JsonDocument SCHEMA = JsonDocument.parse("{\"type\": \"object\"}", "schema.json");

  @Test
  void theServicesLocationsArePlacedInOurFilesWithTheirLines() {
    FlowValidation v = new FlowValidation(false, Map.of(), List.of(
        new Problem("definition.States.Copy.WaitTime", "too long"),
        new Problem("body.input_schema.type", "unsupported"),
        new Problem("title", "missing")), "422");

    List<ServiceFinding> found = ServiceFinding.of(v, DEFINITION, SCHEMA);

    assertEquals("flow.json:4:4: globus /States/Copy/WaitTime: too long", found.get(0).toString());
    assertEquals("schema.json:1:2: globus /type: unsupported", found.get(1).toString());
    assertEquals("globus title: missing", found.get(2).toString());
  }
}
