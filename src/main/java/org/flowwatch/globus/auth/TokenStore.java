package org.flowwatch.globus.auth;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import org.flowwatch.config.AtomicFile;
import org.flowwatch.config.AuthConfig;
import org.flowwatch.config.PrivateFiles;
import org.flowwatch.config.StateLayout;
import org.flowwatch.globus.GlobusHttp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Saved tokens in one JSON file, readable only by its owner:
 * {@code {"<client id>": {"<resource server>": {access_token, refresh_token, expires_at, scope}}}}.
 *
 * <p>Writes go to a 0600 temp file in the same directory that is then moved over the old file, so a
 * reader never sees half a file and the tokens are never on disk with looser permissions. Writers in
 * different processes (the agent refreshing, {@code flowwatch login}) take an exclusive lock on a
 * sibling {@code .lock} file around their read-modify-write. Within one JVM use one TokenStore per file:
 * Java file locks are per process, so two instances on one file in one JVM would collide.
 */
public final class TokenStore {

  private static final Logger log = LoggerFactory.getLogger(TokenStore.class);

  private static final TypeReference<TreeMap<String, TreeMap<String, StoredToken>>> FILE_TYPE =
      new TypeReference<>() {};

  private static final Duration LOCK_WAIT = Duration.ofSeconds(30);

  private final Path file;
  private final ObjectMapper mapper;
  private final boolean posix;

  public TokenStore(Path file) {
    this.file = Objects.requireNonNull(file, "file").toAbsolutePath();
    this.mapper = GlobusHttp.newMapper();
    this.posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
  }

  /** The configured token file, or {@code <state dir>/tokens.json}. */
  public static TokenStore forConfig(Map<String, String> env, AuthConfig auth) {
    Path configured = auth == null ? null : auth.tokenFile();
    return new TokenStore(configured != null ? configured : StateLayout.forEnvironment(env).tokens());
  }

  public Path file() {
    return file;
  }

  /** The tokens saved for one identity (client id), by resource server; empty when there are none. */
  public synchronized Map<String, Token> load(String identity) {
    Map<String, StoredToken> saved = read().get(identity);
    if (saved == null) {
      return Map.of();
    }
    Map<String, Token> tokens = new LinkedHashMap<>();
    saved.forEach((resourceServer, stored) -> tokens.put(resourceServer, toToken(resourceServer, stored)));
    return Collections.unmodifiableMap(tokens);
  }

  /**
   * Saves tokens for one identity, replacing those for the same resource servers and keeping the rest.
   */
  public synchronized void save(String identity, Collection<Token> tokens) {
    Objects.requireNonNull(identity, "identity");
    String action = "save Globus tokens to " + file;
    try {
      createDirectory(file.getParent());
      Path lockFile = file.resolveSibling(file.getFileName() + ".lock");
      try (FileChannel channel = FileChannel.open(lockFile,
              Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE), ownerOnly(PrivateFiles.OWNER_FILE));
          FileLock ignored = lock(channel)) {
        TreeMap<String, TreeMap<String, StoredToken>> all = read();
        TreeMap<String, StoredToken> mine = all.computeIfAbsent(identity, k -> new TreeMap<>());
        for (Token token : tokens) {
          mine.put(token.resourceServer(), new StoredToken(token.accessToken(), token.refreshToken(),
              token.expiresAt().getEpochSecond(), token.scope()));
        }
        write(all);
      }
    } catch (IOException e) {
      throw TokenStoreException.ofFileSystem(action, e, file);
    }
  }

  /**
   * An exclusive lock on the lock file. Java refuses a second lock on the same file inside one JVM
   * (another TokenStore on this file, e.g. in a test) instead of waiting, so wait for it here.
   */
  private FileLock lock(FileChannel channel) throws IOException {
    long deadline = System.nanoTime() + LOCK_WAIT.toNanos();
    while (true) {
      try {
        return channel.lock();
      } catch (OverlappingFileLockException e) {
        if (System.nanoTime() > deadline) {
          throw new IOException("timed out after " + LOCK_WAIT.toSeconds() + " s waiting for " + file + ".lock", e);
        }
        try {
          Thread.sleep(10);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted while waiting for " + file + ".lock", interrupted);
        }
      }
    }
  }

  private TreeMap<String, TreeMap<String, StoredToken>> read() {
    byte[] bytes;
    try {
      restrictIfExposed();
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return new TreeMap<>();
    } catch (IOException e) {
      throw TokenStoreException.ofFileSystem("read saved Globus tokens from " + file, e, file);
    }
    try {
      TreeMap<String, TreeMap<String, StoredToken>> all = mapper.readValue(bytes, FILE_TYPE);
      if (all == null) {
        throw corrupt("it is empty or null", null);
      }
      all.values().forEach(byServer -> byServer.values().forEach(this::check));
      return all;
    } catch (JsonProcessingException e) {
      // Jackson's message may quote file content, which is tokens: report only the position.
      JsonLocation at = e.getLocation();
      throw corrupt("it is not a valid token file (JSON error"
          + (at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr()) + ")", e);
    } catch (IOException e) {
      throw corrupt("it could not be parsed", e);
    }
  }

  private void check(StoredToken stored) {
    if (stored == null || stored.accessToken() == null || stored.expiresAt() == null) {
      throw corrupt("an entry lacks access_token or expires_at", null);
    }
  }

  private TokenStoreException corrupt(String reason, Throwable cause) {
    return new TokenStoreException("read saved Globus tokens from " + file, reason,
        "Delete " + file + " and run 'flowwatch login' again (with GLOBUS_CLIENT_ID/GLOBUS_CLIENT_SECRET set,"
            + " deleting it is enough).",
        file, cause);
  }

  private void write(Map<String, ? extends Map<String, StoredToken>> all) throws IOException {
    // Owner-only before any byte is written: the tokens never sit in a looser file.
    AtomicFile.replace(file, mapper.writerWithDefaultPrettyPrinter().writeValueAsBytes(all),
        posix ? PrivateFiles.OWNER_FILE : null, written -> { });
  }

  private void createDirectory(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      Files.createDirectories(dir, ownerOnly(PrivateFiles.OWNER_DIR));
    }
  }

  /** A token file others can read is made private again, with a warning that never shows its content. */
  private void restrictIfExposed() throws IOException {
    if (Files.isDirectory(file)) {
      throw new FileSystemException(file.toString(), null, "Is a directory");
    }
    if (!posix || !Files.exists(file)) {
      return;
    }
    Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
    if (PrivateFiles.exposed(permissions)) {
      Files.setPosixFilePermissions(file, PrivateFiles.OWNER_FILE);
      log.warn("Token file {} was accessible to other users ({}); restricted it to its owner (rw-------)."
              + " Consider the saved logins exposed: run 'flowwatch login' again to replace them.",
          file, PosixFilePermissions.toString(permissions));
    }
  }

  private FileAttribute<?>[] ownerOnly(Set<PosixFilePermission> permissions) {
    return posix
        ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(permissions)}
        : new FileAttribute<?>[0];
  }

  private static Token toToken(String resourceServer, StoredToken stored) {
    return new Token(resourceServer, stored.accessToken(), stored.refreshToken(),
        Instant.ofEpochSecond(stored.expiresAt()), stored.scope());
  }
}
