package org.flowwatch.globus;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/** Stub bodies shaped like the real services (see reference/globus-rest.md), and the ids they use. */
public final class Fixtures {

  public static final UUID FLOW_ID = UUID.fromString("0b1c2d3e-0000-4000-8000-000000000001");
  public static final UUID RUN_ID = UUID.fromString("36ad9f9a-ad29-488f-beb4-c22ab729643a");
  public static final UUID COLLECTION_ID = UUID.fromString("6c54cade-bde5-45c1-bdd4-8f9a1a1a1a1a");
  public static final UUID NATIVE_CLIENT_ID = UUID.fromString("7e8f9a0b-1c2d-4e3f-8a4b-5c6d7e8f9a0b");
  public static final String CLIENT_ID = "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d";
  public static final String CLIENT_SECRET = "not-a-real-secret=";

  private Fixtures() {}

  /** The text of {@code src/test/resources/globus/<name>}. */
  public static String json(String name) {
    try (InputStream in = Fixtures.class.getResourceAsStream("/globus/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no fixture globus/" + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
