package org.flowwatch.globus.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.flowwatch.config.AuthConfig;
import org.flowwatch.globus.Fixtures;
import org.flowwatch.globus.GlobusHttp;
import org.flowwatch.testing.LogCapture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenStoreTest {

  private static final String IDENTITY = Fixtures.NATIVE_CLIENT_ID.toString();
  private static final Instant EXPIRY = Instant.parse("2026-01-03T00:00:00Z");

  @TempDir Path dir;

  private static Token token(String resourceServer, String access, String refresh) {
    return new Token(resourceServer, access, refresh, EXPIRY, "scope-of-" + resourceServer);
  }

  @Test
  void savesTokensInAnOwnerOnlyFileInAnOwnerOnlyDirectory() throws Exception {
    Path file = dir.resolve("state/flowwatch/tokens.json");
    TokenStore store = new TokenStore(file);

    store.save(IDENTITY, List.of(token("flows.globus.org", "AgX-access-1", "AgR-refresh-1")));

    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())));
    Token loaded = store.load(IDENTITY).get("flows.globus.org");
    assertEquals("AgX-access-1", loaded.accessToken());
    assertEquals("AgR-refresh-1", loaded.refreshToken());
    assertEquals(EXPIRY, loaded.expiresAt());
    assertEquals("scope-of-flows.globus.org", loaded.scope());
    try (var leftovers = Files.list(file.getParent())) {
      assertTrue(leftovers.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "temp file left behind");
    }
  }

  @Test
  void writesTheDocumentedLayoutKeyedByIdentityThenResourceServer() throws Exception {
    Path file = dir.resolve("tokens.json");
    new TokenStore(file).save(IDENTITY, List.of(token("flows.globus.org", "AgX-a", null)));

    var tree = GlobusHttp.newMapper().readTree(file.toFile());
    var entry = tree.get(IDENTITY).get("flows.globus.org");
    assertEquals("AgX-a", entry.get("access_token").asText());
    assertEquals(EXPIRY.getEpochSecond(), entry.get("expires_at").asLong());
    assertEquals("scope-of-flows.globus.org", entry.get("scope").asText());
    assertFalse(entry.has("refresh_token") && !entry.get("refresh_token").isNull());
  }

  @Test
  void savingOneResourceServerKeepsTheOthersAndOtherIdentities() {
    TokenStore store = new TokenStore(dir.resolve("tokens.json"));
    store.save(IDENTITY, List.of(token("flows.globus.org", "AgX-old", "AgR-1"), token("transfer.api.globus.org", "AgX-t", "AgR-2")));
    store.save("other-client", List.of(token("flows.globus.org", "AgX-other", null)));

    store.save(IDENTITY, List.of(token("flows.globus.org", "AgX-new", "AgR-1")));

    Map<String, Token> mine = store.load(IDENTITY);
    assertEquals("AgX-new", mine.get("flows.globus.org").accessToken());
    assertEquals("AgX-t", mine.get("transfer.api.globus.org").accessToken());
    assertEquals("AgX-other", store.load("other-client").get("flows.globus.org").accessToken());
  }

  @Test
  void missingFileMeansNoSavedTokens() {
    assertTrue(new TokenStore(dir.resolve("absent/tokens.json")).load(IDENTITY).isEmpty());
  }

  @Test
  void restrictsAFileOthersCanReadAndWarnsWithoutShowingIt() throws Exception {
    Path file = dir.resolve("tokens.json");
    new TokenStore(file).save(IDENTITY, List.of(token("flows.globus.org", "AgX-exposed", "AgR-exposed")));
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

    try (LogCapture logs = new LogCapture()) {
      new TokenStore(file).load(IDENTITY);

      assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
      assertTrue(logs.all().contains("WARN Token file " + file), logs.all());
      assertFalse(logs.all().contains("AgX-exposed") || logs.all().contains("AgR-exposed"), logs.all());
    }
  }

  @Test
  void corruptFileFailsNamingTheFileAndTheFixWithoutQuotingIt() throws Exception {
    Path file = dir.resolve("tokens.json");
    Files.writeString(file, "{\"" + IDENTITY + "\": {\"flows.globus.org\": {\"access_token\": AgX-half-written");

    TokenStoreException e = assertThrows(TokenStoreException.class, () -> new TokenStore(file).load(IDENTITY));

    assertEquals(file, e.file());
    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("Delete " + file), e.getMessage());
    assertTrue(e.getMessage().contains("flowwatch login"), e.getMessage());
    assertTrue(e.getMessage().contains("line 1"), e.getMessage());
    assertFalse(e.getMessage().contains("AgX-half-written"), e.getMessage());
  }

  @Test
  void entryWithoutAccessTokenIsCorrupt() throws Exception {
    Path file = dir.resolve("tokens.json");
    Files.writeString(file, "{\"" + IDENTITY + "\": {\"flows.globus.org\": {\"expires_at\": 1}}}");
    assertThrows(TokenStoreException.class, () -> new TokenStore(file).load(IDENTITY));
  }

  @Test
  void concurrentWritersLoseNoToken() throws Exception {
    Path file = dir.resolve("tokens.json");
    // Two stores on one file stand in for two processes (agent refreshing, 'flowwatch login').
    List<TokenStore> stores = List.of(new TokenStore(file), new TokenStore(file));
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> writes = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        TokenStore store = stores.get(i % 2);
        String server = "server-" + i;
        writes.add(pool.submit(() -> store.save(IDENTITY, List.of(token(server, "AgX-" + server, null)))));
      }
      for (Future<?> write : writes) {
        write.get(30, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    Map<String, Token> saved = new TokenStore(file).load(IDENTITY);
    assertEquals(40, saved.size());
    assertEquals("AgX-server-17", saved.get("server-17").accessToken());
    assertNull(saved.get("server-40"));
  }

  @Test
  void defaultFileIsTokensJsonInTheStateDirectory() {
    TokenStore store = TokenStore.forConfig(Map.of("XDG_STATE_HOME", dir.toString()), AuthConfig.DEFAULT);
    assertEquals(dir.resolve("flowwatch/tokens.json"), store.file());

    Path configured = dir.resolve("elsewhere.json");
    assertEquals(configured, TokenStore.forConfig(Map.of(), new AuthConfig(null, configured)).file());
  }

  @Test
  void tokenDescriptionsNeverShowTokenValues() {
    String text = token("flows.globus.org", "AgX-visible?", "AgR-visible?").toString();
    assertFalse(text.contains("AgX-visible?") || text.contains("AgR-visible?"), text);
  }
}
