package org.flowwatch.flow;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;

/** The real flows copied from shared/reference/realdata, by classpath name (see realdata/README.md). */
final class RealData {
  static final String FRIB = "/realdata/aschester-e21062-Globus-Flows/";
  static final String FRIB_PIPELINE = FRIB + "transfer_compute/definition.json";
  static final String FRIB_PIPELINE_SCHEMA = FRIB + "transfer_compute/schema.json";
  static final String FRIB_TRANSFER = FRIB + "transfer/definition.json";
  static final String FRIB_TRANSFER_SCHEMA = FRIB + "transfer/schema.json";
  static final String FLOWCRON = "/realdata/rosalindfranklininstitute-FlowCron-Globus_Flow-side/";
  static final String FLOWCRON_TEMPLATE = FLOWCRON + "FlowCron-template_definition.json";
  static final String FLOWCRON_SCHEMA = FLOWCRON + "FlowCron-template_input_schema.json";

  private RealData() {}

  static Path path(String resource) {
    URL url = RealData.class.getResource(resource);
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
}
