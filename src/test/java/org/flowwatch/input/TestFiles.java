package org.flowwatch.input;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;

/** Test resources by classpath name, so tests never read ../shared at run time. */
final class TestFiles {
  static final String FRIB = "/realdata/aschester-e21062-Globus-Flows/";
  static final String FRIB_SCHEMA = FRIB + "transfer_compute/schema.json";
  static final String FRIB_TRANSFER_SCHEMA = FRIB + "transfer/schema.json";
  static final String FRIB_EXAMPLE = FRIB + "reconstructed/example_input_run1217.json";
  static final String FLOWCRON_SCHEMA =
      "/realdata/rosalindfranklininstitute-FlowCron-Globus_Flow-side/FlowCron-template_input_schema.json";
  static final ObjectMapper MAPPER = new ObjectMapper();

  private TestFiles() {}

  static Path path(String resource) {
    URL url = TestFiles.class.getResource(resource);
    if (url == null) {
      throw new IllegalArgumentException("no test resource " + resource);
    }
    try {
      return Path.of(url.toURI());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(e);
    }
  }

  static String text(String resource) {
    try {
      return Files.readString(path(resource));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonNode json(String resource) {
    return parse(text(resource));
  }

  static JsonNode parse(String json) {
    try {
      return MAPPER.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
