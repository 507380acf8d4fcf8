package org.flowwatch.config;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/**
 * Every file flowwatch keeps, named in one place: the state directory ({@code $XDG_STATE_HOME/flowwatch}
 * by XDG rules, or {@code --state-dir}) with its ledger, agent lock, tokens and Compute function
 * registry, and the host-wide lock directory in which agents of every user on this host meet.
 */
public final class StateLayout {
  /** The environment variable that moves the host-wide lock directory. */
  public static final String LOCK_DIR_VARIABLE = "FLOWWATCH_LOCK_DIR";

  static final String LEDGER = "ledger.db";
  static final String AGENT_LOCK = "agent.lock";
  static final String TOKENS = "tokens.json";
  static final String COMPUTE_FUNCTIONS = "compute-functions.json";
  static final String AGENT_STATUS = "agent.status";
  static final String IGNORED = "ignored.json";

  private static final Path RUN_LOCK = Path.of("/run/lock");
  private static final Path TMP_LOCKS = Path.of("/tmp/flowwatch-locks");

  private final Path directory;

  private StateLayout(Path directory) {
    this.directory = directory.toAbsolutePath().normalize();
  }

  /** The layout of the given state directory. */
  public static StateLayout in(Path directory) {
    return new StateLayout(directory);
  }

  /** {@code --state-dir} when given, else the default state directory for this environment. */
  public static StateLayout of(Path stateDirOption, Map<String, String> env) {
    return new StateLayout(stateDirOption != null ? stateDirOption : defaultDirectory(env));
  }

  /** The default state directory for this environment. */
  public static StateLayout forEnvironment(Map<String, String> env) {
    return of(null, env);
  }

  /** {@code $XDG_STATE_HOME/flowwatch} when that is an absolute path, else {@code ~/.local/state/flowwatch}. */
  public static Path defaultDirectory(Map<String, String> env) {
    String xdg = env.get("XDG_STATE_HOME");
    if (xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()) {
      return Path.of(xdg, "flowwatch");
    }
    String home = env.getOrDefault("HOME", System.getProperty("user.home"));
    return Path.of(home, ".local", "state", "flowwatch");
  }

  public Path directory() {
    return directory;
  }

  /** The ledger (SQLite): one row per run directory. */
  public Path ledger() {
    return directory.resolve(LEDGER);
  }

  /** Held by the agent that uses this state directory's ledger. */
  public Path agentLock() {
    return directory.resolve(AGENT_LOCK);
  }

  /** Who the running agent is and when it last scanned and polled (JSON, rewritten every few seconds). */
  public Path agentStatus() {
    return directory.resolve(AGENT_STATUS);
  }

  /** What the agent saw in the watch directory and ignored, with why (JSON, for status --ignored). */
  public Path ignored() {
    return directory.resolve(IGNORED);
  }

  /** The token cache (mode 0600), unless {@code auth.token_file} names another file. */
  public Path tokens() {
    return directory.resolve(TOKENS);
  }

  /** What {@code register-function} registered, so an unchanged function is not registered again. */
  public Path computeFunctions() {
    return directory.resolve(COMPUTE_FUNCTIONS);
  }

  /**
   * Where agents of every user on this host lock the watch directories they watch: {@code
   * $FLOWWATCH_LOCK_DIR} when set, else {@code /run/lock/flowwatch}, or {@code /tmp/flowwatch-locks} on a
   * host without {@code /run/lock}. Never a per-user place: two users' agents must find the same file.
   */
  public static Path hostLockDirectory(Map<String, String> env) {
    return hostLockDirectory(env, RUN_LOCK);
  }

  static Path hostLockDirectory(Map<String, String> env, Path runLock) {
    String configured = env.get(LOCK_DIR_VARIABLE);
    if (configured != null && !configured.isBlank()) {
      return Path.of(configured).toAbsolutePath().normalize();
    }
    return Files.isDirectory(runLock) ? runLock.resolve("flowwatch") : TMP_LOCKS;
  }

  /**
   * The lock file of one watch directory in the host lock directory, named by a hash of its real path
   * (which the caller resolves), so every path that leads to the same directory leads to the same file.
   */
  public static Path watchLock(Path hostLockDirectory, Path watchRealPath) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256")
          .digest(watchRealPath.toString().getBytes(StandardCharsets.UTF_8));
      return hostLockDirectory.resolve("watch-" + HexFormat.of().formatHex(digest).substring(0, 32) + ".lock");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
