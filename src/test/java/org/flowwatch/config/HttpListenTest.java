package org.flowwatch.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code http.listen} and {@code watch.heartbeat} as the loader reads them. */
class HttpListenTest {
  @TempDir Path dir;

  private Config load(String extra) throws IOException {
    Files.writeString(dir.resolve("schema.json"), "{}");
    Files.writeString(dir.resolve("flowwatch.yaml"), """
        flow: {schema: schema.json}
        run_directory: {pattern: 'run\\d+'}
        input: {a: 1}
        """ + extra);
    return new ConfigLoader(Map.of()).load(dir.resolve("flowwatch.yaml"));
  }

  @Test
  void theEndpointIsOffUnlessListenIsSetAndTheHeartbeatDefaultsToFifteenMinutes() throws IOException {
    Config cfg = load("");

    assertNull(cfg.http());
    assertEquals(Duration.ofMinutes(15), cfg.watch().heartbeat());
  }

  @Test
  void listenTakesHostAndPortAndIpv6InBrackets() throws IOException {
    assertEquals(new HttpConfig("127.0.0.1", 9464), load("http: {listen: '127.0.0.1:9464'}\n").http());
    assertEquals(new HttpConfig("::1", 0), load("http: {listen: '[::1]:0'}\n").http());
    assertEquals(Duration.ofSeconds(90), load("watch: {heartbeat: 90s}\n").watch().heartbeat());
  }

  @Test
  void aBadListenAddressIsRefusedAtItsLine() {
    ConfigException e = assertThrows(ConfigException.class, () -> load("http:\n  listen: 'localhost'\n"));

    assertEquals(dir.resolve("flowwatch.yaml") + ":5:11: http.listen: expected HOST:PORT (for example"
        + " 127.0.0.1:9464 or [::1]:9464), got 'localhost'", e.getMessage());
    assertThrows(ConfigException.class, () -> load("http: {listen: 'localhost:70000'}\n"));
    assertThrows(ConfigException.class, () -> load("http: {port: 9464}\n"));
    assertThrows(ConfigException.class, () -> load("watch: {heartbeat: 10ms}\n"));
  }
}
