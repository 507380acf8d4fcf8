package org.flowwatch.ledger;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.flowwatch.config.PrivateFiles;
import org.flowwatch.text.FileProblems;
import org.flowwatch.text.IsoInstant;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteException;

/**
 * The durable record of every run directory: one row per key with its state, and every transition in
 * {@code history}. SQLite in WAL mode. A batch that sends a new start (a fresh trigger token) or that a
 * person asked for (a retry) is committed with {@code synchronous=FULL}: it is on disk when
 * {@link #apply} returns, which is what the exactly-once rule needs before a start request. Every other
 * batch is committed with {@code synchronous=NORMAL}: written to the WAL (a kill -9 keeps it) but
 * synced only with the next full commit or checkpoint, because a power failure that loses one only
 * repeats a look — a lost ACTIVE leaves the row STARTING with its token, which is reconciled by the
 * token before anything is sent again. So a start costs one fsync, and a batch of starts one fsync.
 */
public final class Ledger implements AutoCloseable {
  /** The schema version this code writes; older ledgers are migrated on open. */
  static final int SCHEMA_VERSION = 2;

  /** How long a writer waits for another's transaction (and an opener for another's first open). */
  private static final int BUSY_TIMEOUT_MILLIS = 10_000;
  /** About the size of sqlite-jdbc's unpacked Linux library: what a probe must be able to write. */
  private static final int NATIVE_LIBRARY_SIZE = 2 << 20;
  private static final String COLUMNS =
      "key, state, attempts, token, run_id, last_error, fingerprint, created_at, updated_at, not_before,"
      + " settle_digest, settle_since";

  private final Path file;
  private final Connection db;
  private final Clock clock;
  /** Whether the connection's synchronous setting is FULL now (it is switched per batch). */
  private boolean fullSync = true;
  /** Rows read so far, for tests that prove a scan reads none. */
  private long rowsRead;
  /**
   * The connection's statements, compiled once: the agent runs the same dozen statements on every pass,
   * and compiling one costs more CPU than running it on a small table.
   */
  private final Map<String, PreparedStatement> statements = new HashMap<>();

  private Ledger(Path file, Connection db, Clock clock) {
    this.file = file;
    this.db = db;
    this.clock = clock;
  }

  /**
   * Opens (creating and migrating as needed) the ledger at {@code file}.
   *
   * @param watchRoot the watch directory this ledger belongs to; a ledger first used for another one is
   *     refused. Null opens it without that check (status and retry commands).
   */
  public static Ledger open(Path file, Path watchRoot, Clock clock) {
    Path stateDir = file.toAbsolutePath().getParent();
    try {
      PrivateFiles.directory(stateDir);
      // SQLite gives the -wal and -shm files the ledger's own mode: 0600 here makes all three private.
      PrivateFiles.file(file);
    } catch (IOException e) {
      throw new LedgerException("cannot keep the ledger in the state directory " + stateDir + ": "
          + FileProblems.explain(e) + ", or pass --state-dir DIR to keep it elsewhere", e);
    }
    prepareNativeLibrary(stateDir);
    Connection db;
    try {
      SQLiteConfig settings = new SQLiteConfig();
      // Writers take the write lock when their transaction begins, where the busy timeout applies; a
      // deferred transaction that upgrades from read to write fails at once with SQLITE_BUSY when another
      // connection (a 'status' or 'retry' command) wrote in between.
      settings.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
      settings.setBusyTimeout(BUSY_TIMEOUT_MILLIS);
      settings.setJournalMode(SQLiteConfig.JournalMode.WAL);
      settings.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
      // The driver would otherwise ask for the row id after every INSERT; nothing here reads it.
      settings.setGetGeneratedKeys(false);
      db = connect(settings, file);
    } catch (SQLException | UnsatisfiedLinkError e) {
      throw openFailure(file, e);
    }
    Ledger ledger = new Ledger(file, db, clock);
    try {
      ledger.migrate();
      if (watchRoot != null) {
        ledger.claim(realPath(watchRoot));
      }
      return ledger;
    } catch (SQLException e) {
      ledger.close();
      throw new LedgerException("cannot use the ledger " + file + ": " + describe(e)
          + " (if the file is damaged, move it aside; the agent rebuilds state from the watch directory)", e);
    } catch (RuntimeException e) {
      ledger.close();
      throw e;
    }
  }

  public Path file() {
    return file;
  }

  /**
   * A connection with the settings applied. Switching a new ledger to WAL needs the file to itself for
   * a moment, and SQLite answers BUSY at once, without its busy timeout, when another process opens the
   * same new ledger then (an agent's first start and a 'status'): try again within that timeout.
   */
  private static Connection connect(SQLiteConfig settings, Path file) throws SQLException {
    long giveUpAt = System.nanoTime() + BUSY_TIMEOUT_MILLIS * 1_000_000L;
    for (int attempt = 0; ; attempt++) {
      try {
        return settings.createConnection("jdbc:sqlite:" + file.toAbsolutePath());
      } catch (SQLiteException e) {
        if (!busy(e) || System.nanoTime() - giveUpAt > 0) {
          throw e;
        }
        try {
          Thread.sleep(Math.min(100, 5L << Math.min(attempt, 5)));
        } catch (InterruptedException stop) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
  }

  private static boolean busy(SQLiteException e) {
    return (e.getResultCode().code & 0xff) == 5; // SQLITE_BUSY and its extended codes
  }

  private void migrate() throws SQLException {
    int seen = schemaVersion();
    if (seen == SCHEMA_VERSION) {
      return; // opening must not write: readers would otherwise contend with the agent
    }
    refuseNewer(seen);
    db.setAutoCommit(false); // begins IMMEDIATE: this holds the write lock from here on
    try (Statement s = db.createStatement()) {
      // Read again under the lock: another process opening the same new ledger (the agent's first start
      // and a 'status', two hand starts) may have made or migrated the schema while this one waited.
      int version = schemaVersion();
      refuseNewer(version);
      if (version < 1) {
        s.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)");
        s.execute("CREATE TABLE runs (key TEXT PRIMARY KEY, state TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0,"
            + " token TEXT, run_id TEXT, last_error TEXT, fingerprint TEXT, created_at TEXT NOT NULL,"
            + " updated_at TEXT NOT NULL, not_before TEXT)");
        s.execute("CREATE INDEX runs_by_state ON runs (state)");
        s.execute("CREATE TABLE history (id INTEGER PRIMARY KEY AUTOINCREMENT, key TEXT NOT NULL, at TEXT NOT NULL,"
            + " from_state TEXT, to_state TEXT NOT NULL, run_id TEXT, reason TEXT)");
        s.execute("CREATE INDEX history_by_key ON history (key, id)");
      }
      if (version < 2) {
        // Settle snapshots live in the row, so --once passes and restarted agents see a tree settle.
        s.execute("ALTER TABLE runs ADD COLUMN settle_digest TEXT");
        s.execute("ALTER TABLE runs ADD COLUMN settle_since TEXT");
      }
      // Later versions add their steps here, each guarded by 'version < N'.
      if (version < SCHEMA_VERSION) {
        s.execute("PRAGMA user_version = " + SCHEMA_VERSION);
      }
      db.commit();
    } catch (SQLException | RuntimeException e) {
      db.rollback();
      throw e;
    } finally {
      db.setAutoCommit(true);
    }
  }

  private void refuseNewer(int version) {
    if (version > SCHEMA_VERSION) {
      throw new LedgerException("the ledger " + file + " was written by a newer flowwatch (schema " + version
          + ", this one knows " + SCHEMA_VERSION + "); use that version, or pass --state-dir for a new ledger");
    }
  }

  private int schemaVersion() throws SQLException {
    try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery("PRAGMA user_version")) {
      return rs.next() ? rs.getInt(1) : 0;
    }
  }

  private void claim(String watchRoot) throws SQLException {
    String owner = meta("watch_root");
    if (owner == null) {
      // Another process may claim it at the same moment: the first to write owns it, and the other is
      // held to that like any later opener.
      try (PreparedStatement p = db.prepareStatement(
          "INSERT OR IGNORE INTO meta (key, value) VALUES ('watch_root', ?)")) {
        p.setString(1, watchRoot);
        p.executeUpdate();
      }
      owner = meta("watch_root");
    }
    if (!owner.equals(watchRoot) && !realPath(Path.of(owner)).equals(watchRoot)) {
      throw new LedgerException("the ledger " + file + " belongs to the watch directory " + owner + ", not "
          + watchRoot + "; give each watch directory its own --state-dir");
    }
  }

  /** The real path of a watch directory (agents and hand starts may name it through different links). */
  private static String realPath(Path dir) {
    Path abs = dir.toAbsolutePath().normalize();
    try {
      return abs.toRealPath().toString();
    } catch (java.io.IOException e) {
      return abs.toString();
    }
  }

  /** The watch directory this ledger belongs to, or null if no agent has used it yet. */
  public synchronized String watchRoot() {
    try {
      return meta("watch_root");
    } catch (SQLException e) {
      throw failure("read", e);
    }
  }

  private String meta(String key) throws SQLException {
    try (PreparedStatement p = db.prepareStatement("SELECT value FROM meta WHERE key = ?")) {
      p.setString(1, key);
      try (ResultSet rs = p.executeQuery()) {
        return rs.next() ? rs.getString(1) : null;
      }
    }
  }

  public synchronized Optional<RunRecord> get(String key) {
    try {
      PreparedStatement p = statement("SELECT " + COLUMNS + " FROM runs WHERE key = ?");
      p.setString(1, key);
      try (ResultSet rs = p.executeQuery()) {
        return rs.next() ? Optional.of(record(rs)) : Optional.empty();
      }
    } catch (SQLException e) {
      throw failure("read", e);
    }
  }

  /** Every row, ordered by key. */
  public synchronized List<RunRecord> all() {
    return query("SELECT " + COLUMNS + " FROM runs ORDER BY key", List.of());
  }

  /** Every key, without the rest of the rows: what an agent reads once at start. */
  public synchronized Set<String> keys() {
    Set<String> out = new HashSet<>();
    try (PreparedStatement p = db.prepareStatement("SELECT key FROM runs"); ResultSet rs = p.executeQuery()) {
      while (rs.next()) {
        out.add(rs.getString(1));
        rowsRead++;
      }
      return out;
    } catch (SQLException e) {
      throw failure("read", e);
    }
  }

  /** How many rows this connection has read, in any query. */
  public synchronized long rowsRead() {
    return rowsRead;
  }

  /** The rows in any of {@code states}, ordered by key. */
  public synchronized List<RunRecord> inStates(Collection<RunState> states) {
    if (states.isEmpty()) {
      return List.of();
    }
    String marks = states.stream().map(s -> "?").collect(Collectors.joining(","));
    return query("SELECT " + COLUMNS + " FROM runs WHERE state IN (" + marks + ") ORDER BY key",
        states.stream().map(Enum::name).toList());
  }

  public synchronized int count(Set<RunState> states) {
    if (states.isEmpty()) {
      return 0;
    }
    String marks = states.stream().map(s -> "?").collect(Collectors.joining(","));
    try {
      PreparedStatement p = statement("SELECT COUNT(*) FROM runs WHERE state IN (" + marks + ")");
      int i = 1;
      for (RunState s : states) {
        p.setString(i++, s.name());
      }
      try (ResultSet rs = p.executeQuery()) {
        return rs.next() ? rs.getInt(1) : 0;
      }
    } catch (SQLException e) {
      throw failure("read", e);
    }
  }

  /**
   * How many rows are in each state, every state present (zero when none): one indexed
   * {@code GROUP BY}, so a metrics scrape or a heartbeat costs one query whatever the ledger holds, and
   * counts rows that other processes ({@code retry}, hand starts) wrote too.
   */
  public synchronized java.util.EnumMap<RunState, Integer> countByState() {
    java.util.EnumMap<RunState, Integer> out = new java.util.EnumMap<>(RunState.class);
    for (RunState s : RunState.values()) {
      out.put(s, 0);
    }
    try {
      PreparedStatement p = statement("SELECT state, COUNT(*) FROM runs GROUP BY state");
      try (ResultSet rs = p.executeQuery()) {
        while (rs.next()) {
          RunState s = state(rs.getString(1));
          if (s != null) {
            out.put(s, rs.getInt(2));
          }
        }
      }
      return out;
    } catch (SQLException e) {
      throw failure("read", e);
    }
  }

  public synchronized List<HistoryEntry> history(String key) {
    List<HistoryEntry> out = new ArrayList<>();
    try (PreparedStatement p = db.prepareStatement(
        "SELECT key, at, from_state, to_state, run_id, reason FROM history WHERE key = ? ORDER BY id")) {
      p.setString(1, key);
      try (ResultSet rs = p.executeQuery()) {
        while (rs.next()) {
          out.add(new HistoryEntry(rs.getString(1), IsoInstant.parse(rs.getString(2)), state(rs.getString(3)),
              RunState.valueOf(rs.getString(4)), rs.getString(5), rs.getString(6)));
        }
      }
      return out;
    } catch (SQLException e) {
      throw failure("read", e);
    }
  }

  /** Applies one transition durably; empty when it was conditional and the row had moved on. */
  public Optional<RunRecord> apply(Transition t) {
    List<RunRecord> done = apply(List.of(t));
    return done.isEmpty() ? Optional.empty() : Optional.of(done.get(0));
  }

  /**
   * Applies transitions in one transaction (all or none), skipping conditional ones whose row is no longer
   * in the expected state, or no longer carries the expected start's token.
   *
   * @return the rows as written, for the transitions that applied
   * @throws LedgerException when a transition would leave a final state without being a retry
   */
  public synchronized List<RunRecord> apply(List<Transition> transitions) {
    List<RunRecord> written = new ArrayList<>();
    Instant now = clock.instant();
    try {
      durability(transitions.stream().anyMatch(Transition::mustBeDurable));
      db.setAutoCommit(false);
      PreparedStatement select = statement("SELECT " + COLUMNS + " FROM runs WHERE key = ?");
      PreparedStatement insert = statement(INSERT);
      PreparedStatement update = statement(UPDATE);
      PreparedStatement history = statement(HISTORY);
      for (Transition t : transitions) {
        RunRecord before = read(select, t.key);
        if (t.expected != null && (before == null || before.state() != t.expected)
            || t.expectedToken != null && !t.expectedToken.equals(before.token())
            || t.expectAbsent && before != null) {
          continue;
        }
        if (before != null && before.state().isFinal() && !t.retry) {
          throw new LedgerException(t.key + " is " + before.state() + "; only 'flowwatch retry' may change a"
              + " final state (refused: " + before.state() + " -> " + t.to + ")");
        }
        RunRecord after = merge(before, t, now);
        write(before == null ? insert : update, after);
        if (before == null || before.state() != after.state() || t.reason != null) {
          history(history, after, before == null ? null : before.state(), t.reason, now);
        }
        written.add(after);
      }
      db.commit();
      return written;
    } catch (SQLException e) {
      rollbackQuietly();
      throw failure("write", e);
    } catch (RuntimeException e) {
      rollbackQuietly();
      throw e;
    } finally {
      try {
        db.setAutoCommit(true);
      } catch (SQLException ignored) {
        // the connection is unusable anyway; the next call reports it
      }
    }
  }

  /** The compiled statement for {@code sql}, kept for the connection's life (the caller holds the lock). */
  private PreparedStatement statement(String sql) throws SQLException {
    PreparedStatement p = statements.get(sql);
    if (p == null) {
      p = db.prepareStatement(sql);
      statements.put(sql, p);
    }
    return p;
  }

  /** SQLite's synchronous setting now: 2 FULL, 1 NORMAL (what the last batch was committed with). */
  synchronized int synchronousMode() {
    try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery("PRAGMA synchronous")) {
      return rs.next() ? rs.getInt(1) : -1;
    } catch (SQLException e) {
      throw failure("read", e);
    }
  }

  /** Switches the connection between FULL and NORMAL sync; only between transactions. */
  private void durability(boolean full) throws SQLException {
    if (full != fullSync) {
      try (Statement s = db.createStatement()) {
        s.execute("PRAGMA synchronous = " + (full ? "FULL" : "NORMAL"));
      }
      fullSync = full;
    }
  }

  private static RunRecord merge(RunRecord b, Transition t, Instant now) {
    int attempts = b == null || t.resetAttempts ? 0 : b.attempts();
    if (t.countAttempt) {
      attempts++;
    }
    String token = t.token != null ? t.token : t.clearToken || b == null ? null : b.token();
    String runId = t.runId != null ? t.runId : t.clearRunId || b == null ? null : b.runId();
    String error = t.error != null ? t.error : t.clearError || b == null ? null : b.lastError();
    String fingerprint = t.fingerprint != null ? t.fingerprint : b == null ? null : b.fingerprint();
    Instant notBefore = t.notBefore != null ? t.notBefore : t.clearNotBefore || b == null ? null : b.notBefore();
    Instant updated = b != null && b.state() == t.to ? b.updatedAt() : now;
    boolean keepSettle = b != null && !t.clearSettle && t.settleDigest == null;
    String settleDigest = t.settleDigest != null ? t.settleDigest : keepSettle ? b.settleDigest() : null;
    Instant settleSince = t.settleSince != null ? t.settleSince : keepSettle ? b.settleSince() : null;
    return new RunRecord(t.key, t.to, attempts, token, runId, error, fingerprint,
        b == null ? now : b.createdAt(), updated, notBefore, settleDigest, settleSince);
  }

  private static final String INSERT = "INSERT INTO runs (state, attempts, token, run_id, last_error, fingerprint,"
      + " created_at, updated_at, not_before, settle_digest, settle_since, key)"
      + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
  private static final String UPDATE = "UPDATE runs SET state = ?, attempts = ?, token = ?, run_id = ?,"
      + " last_error = ?, fingerprint = ?, created_at = ?, updated_at = ?, not_before = ?, settle_digest = ?,"
      + " settle_since = ? WHERE key = ?";
  private static final String HISTORY =
      "INSERT INTO history (key, at, from_state, to_state, run_id, reason) VALUES (?, ?, ?, ?, ?, ?)";

  private RunRecord read(PreparedStatement select, String key) throws SQLException {
    select.setString(1, key);
    try (ResultSet rs = select.executeQuery()) {
      return rs.next() ? record(rs) : null;
    }
  }

  private static void write(PreparedStatement p, RunRecord r) throws SQLException {
    p.setString(1, r.state().name());
    p.setInt(2, r.attempts());
    p.setString(3, r.token());
    p.setString(4, r.runId());
    p.setString(5, r.lastError());
    p.setString(6, r.fingerprint());
    p.setString(7, IsoInstant.format(r.createdAt()));
    p.setString(8, IsoInstant.format(r.updatedAt()));
    p.setString(9, r.notBefore() == null ? null : IsoInstant.format(r.notBefore()));
    p.setString(10, r.settleDigest());
    p.setString(11, r.settleSince() == null ? null : IsoInstant.format(r.settleSince()));
    p.setString(12, r.key());
    p.executeUpdate();
  }

  private static void history(PreparedStatement p, RunRecord r, RunState from, String reason, Instant now)
      throws SQLException {
    p.setString(1, r.key());
    p.setString(2, IsoInstant.format(now));
    p.setString(3, from == null ? null : from.name());
    p.setString(4, r.state().name());
    p.setString(5, r.runId());
    p.setString(6, reason);
    p.executeUpdate();
  }

  private List<RunRecord> query(String sql, List<String> params) {
    List<RunRecord> out = new ArrayList<>();
    try {
      PreparedStatement p = statement(sql);
      for (int i = 0; i < params.size(); i++) {
        p.setString(i + 1, params.get(i));
      }
      try (ResultSet rs = p.executeQuery()) {
        while (rs.next()) {
          out.add(record(rs));
        }
      }
      return out;
    } catch (SQLException e) {
      throw failure("read", e);
    }
  }

  private RunRecord record(ResultSet rs) throws SQLException {
    rowsRead++;
    return new RunRecord(rs.getString(1), RunState.valueOf(rs.getString(2)), rs.getInt(3), rs.getString(4),
        rs.getString(5), rs.getString(6), rs.getString(7), IsoInstant.parse(rs.getString(8)),
        IsoInstant.parse(rs.getString(9)), instant(rs.getString(10)), rs.getString(11), instant(rs.getString(12)));
  }

  private static Instant instant(String text) {
    return text == null ? null : IsoInstant.parse(text);
  }

  private static RunState state(String name) {
    return name == null ? null : RunState.valueOf(name);
  }

  private void rollbackQuietly() {
    try {
      db.rollback();
    } catch (SQLException ignored) {
      // the original failure is what the caller needs to see
    }
  }

  private LedgerException failure(String what, SQLException e) {
    return new LedgerException("cannot " + what + " the ledger " + file + ": " + describe(e), e);
  }

  /** SQLite's failure in words, for the codes an operator can act on; its own text otherwise. */
  private static String describe(SQLException e) {
    if (e instanceof SQLiteException sqlite) {
      switch (sqlite.getResultCode().code & 0xff) {
        case 13: // SQLITE_FULL
          return "the file system is full; free space there";
        case 8: // SQLITE_READONLY
          return "the ledger or its directory is read-only; make both writable by this user";
        case 14: // SQLITE_CANTOPEN
          return "it cannot be opened; check that the directory exists and this user may write there";
        case 26: // SQLITE_NOTADB
          return "the file is not an SQLite database";
        case 11: // SQLITE_CORRUPT
          return "the file is damaged";
        case 10: // SQLITE_IOERR
          return "the file system reported an input/output error";
        case 5: // SQLITE_BUSY
          return "another process (an agent, a hand start, a status or retry command) held it for more than "
              + BUSY_TIMEOUT_MILLIS / 1000 + " s; try again";
        default:
          break;
      }
    }
    return String.valueOf(e.getMessage());
  }

  /**
   * The connection could not be made. Usually SQLite's native library could not be unpacked, which the
   * driver reports only as "no native library found": a small write where it unpacks tells why (full,
   * read-only, not writable), and otherwise the likely cause is a file system mounted noexec.
   */
  private static LedgerException openFailure(Path file, Throwable e) {
    // An SQLiteException is SQLite's own answer: its library loaded, so that answer is the cause.
    if (!(e instanceof SQLiteException)) {
      Path unpackDir = Path.of(System.getProperty("org.sqlite.tmpdir", System.getProperty("java.io.tmpdir")));
      try {
        PrivateFiles.probe(unpackDir, NATIVE_LIBRARY_SIZE);
      } catch (IOException probe) {
        return new LedgerException("cannot open the ledger " + file + ": SQLite's native library cannot be"
            + " unpacked into " + unpackDir + ": " + FileProblems.explain(probe) + ", or pass --state-dir DIR"
            + " (or set FLOWWATCH_JAVA_OPTS=-Dorg.sqlite.tmpdir=DIR to unpack it elsewhere)", e);
      }
    }
    String why = e instanceof SQLException sql ? describe(sql) : String.valueOf(e.getMessage());
    return new LedgerException("cannot open the ledger " + file + ": " + why + nativeHint(e), e);
  }

  /**
   * sqlite-jdbc unpacks its native library into java.io.tmpdir, which HPC and DTN hosts often mount
   * noexec. Unless the user chose a place, unpack it beside the ledger instead.
   */
  private static void prepareNativeLibrary(Path stateDir) {
    if (System.getProperty("org.sqlite.tmpdir") == null) {
      System.setProperty("org.sqlite.tmpdir", stateDir.toString());
    }
  }

  private static String nativeHint(Throwable e) {
    String text = String.valueOf(e.getMessage());
    if (e instanceof UnsatisfiedLinkError || text.contains("failed to map segment") || text.contains("noexec")) {
      return " (SQLite's native library could not be loaded from " + System.getProperty("org.sqlite.tmpdir")
          + "; if that file system is mounted noexec, set FLOWWATCH_JAVA_OPTS=-Dorg.sqlite.tmpdir=<a directory"
          + " where files may be executed>)";
    }
    return "";
  }

  @Override
  public synchronized void close() {
    try {
      for (PreparedStatement p : statements.values()) {
        p.close();
      }
      db.close();
    } catch (SQLException ignored) {
      // nothing left to save: every transition was committed when it returned
    }
  }
}
