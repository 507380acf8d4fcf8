package org.flowwatch.local;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.flowwatch.config.PrivateFiles;
import org.flowwatch.text.FileProblems;
import org.sqlite.SQLiteConfig;

/**
 * Where local runs live: {@code local-runs.db} in the state directory, one row per run and one log line
 * per state entered, caught or failed. It plays the Flows service's part, so it is a file of its own, not
 * tables of the ledger: the ledger records what the agent did, this what the "service" did. A new run is
 * synced to disk before {@link #create} returns (the ledger's ACTIVE row names it); progress is not,
 * since a lost checkpoint only re-executes one more state.
 */
public final class LocalRunStore implements AutoCloseable {
  /** The file's name in the state directory. */
  public static final String FILE = "local-runs.db";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String COLUMNS = "run_id, flow_id, token, label, tags, status, state, flow_state,"
      + " details, start_time, completion_time, owner";

  private final Path file;
  private final Connection db;

  private LocalRunStore(Path file, Connection db) {
    this.file = file;
    this.db = db;
  }

  /** Opens (creating) the store in {@code stateDir}. */
  public static LocalRunStore open(Path stateDir) {
    Path file = stateDir.resolve(FILE);
    try {
      PrivateFiles.directory(stateDir);
      PrivateFiles.file(file);
    } catch (IOException e) {
      throw new LocalRunException("cannot keep local runs in " + stateDir + ": " + FileProblems.explain(e), e);
    }
    try {
      SQLiteConfig settings = new SQLiteConfig();
      settings.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
      settings.setBusyTimeout(10_000);
      settings.setJournalMode(SQLiteConfig.JournalMode.WAL);
      settings.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
      Connection db = settings.createConnection("jdbc:sqlite:" + file.toAbsolutePath());
      try (Statement s = db.createStatement()) {
        s.execute("CREATE TABLE IF NOT EXISTS runs (run_id TEXT PRIMARY KEY, flow_id TEXT NOT NULL, token TEXT,"
            + " label TEXT, tags TEXT NOT NULL, status TEXT NOT NULL, state TEXT, flow_state TEXT,"
            + " details TEXT, start_time TEXT NOT NULL, completion_time TEXT, owner TEXT)");
        s.execute("CREATE INDEX IF NOT EXISTS runs_by_status ON runs (status)");
        s.execute("CREATE INDEX IF NOT EXISTS runs_by_token ON runs (token)");
        s.execute("CREATE TABLE IF NOT EXISTS log (id INTEGER PRIMARY KEY, run_id TEXT NOT NULL, at TEXT NOT NULL,"
            + " state TEXT, event TEXT NOT NULL, detail TEXT)");
        s.execute("CREATE INDEX IF NOT EXISTS log_by_run ON log (run_id, id)");
      }
      return new LocalRunStore(file, db);
    } catch (SQLException e) {
      throw new LocalRunException("cannot open the local run store " + file + ": " + e.getMessage(), e);
    }
  }

  public Path file() {
    return file;
  }

  /** Records a new ACTIVE run, on disk before this returns. */
  public synchronized void create(LocalRun run) {
    try (Statement sync = db.createStatement()) {
      sync.execute("PRAGMA synchronous = FULL");
      try (PreparedStatement p = db.prepareStatement("INSERT INTO runs (" + COLUMNS + ")"
          + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
        p.setString(1, run.runId());
        p.setString(2, run.flowId());
        p.setString(3, run.token());
        p.setString(4, run.label());
        p.setString(5, text(JSON.valueToTree(run.tags())));
        p.setString(6, run.status());
        p.setString(7, run.state());
        p.setString(8, text(run.flowState()));
        p.setString(9, text(run.details()));
        p.setString(10, run.startTime().toString());
        p.setString(11, run.completionTime() == null ? null : run.completionTime().toString());
        p.setString(12, run.owner());
        p.executeUpdate();
      } finally {
        sync.execute("PRAGMA synchronous = NORMAL");
      }
    } catch (SQLException e) {
      throw failure("record the new run " + run.runId(), e);
    }
  }

  /** Where a run got to: the state it enters and the flow state it enters with. */
  public synchronized void checkpoint(String runId, String state, JsonNode flowState) {
    update("UPDATE runs SET state = ?, flow_state = ? WHERE run_id = ?", state, text(flowState), runId);
  }

  /** Takes a run over: this process executes it from now on. */
  public synchronized void own(String runId, String owner) {
    update("UPDATE runs SET owner = ? WHERE run_id = ?", owner, runId);
  }

  /** How a run ended. */
  public synchronized void finish(String runId, String status, JsonNode details, Instant at) {
    update("UPDATE runs SET status = ?, details = ?, completion_time = ?, owner = NULL WHERE run_id = ?", status,
        text(details), at.toString(), runId);
  }

  /** One line of the run's log. */
  public synchronized void log(String runId, Instant at, String state, String event, String detail) {
    update("INSERT INTO log (run_id, at, state, event, detail) VALUES (?, ?, ?, ?, ?)", runId, at.toString(), state,
        event, detail);
  }

  public synchronized Optional<LocalRun> get(String runId) {
    List<LocalRun> found = query("SELECT " + COLUMNS + " FROM runs WHERE run_id = ?", runId);
    return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
  }

  public synchronized Optional<LocalRun> byToken(String token) {
    List<LocalRun> found = query("SELECT " + COLUMNS + " FROM runs WHERE token = ?", token);
    return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
  }

  /** The runs not ended, oldest first. */
  public synchronized List<LocalRun> active() {
    return query("SELECT " + COLUMNS + " FROM runs WHERE status = 'ACTIVE' ORDER BY start_time");
  }

  /** The runs that ended at or after {@code since}. */
  public synchronized List<LocalRun> endedSince(Instant since) {
    return query("SELECT " + COLUMNS + " FROM runs WHERE status != 'ACTIVE' AND completion_time >= ?",
        since.toString());
  }

  /** The run's log, oldest first: one line per entry, {@code at state event: detail}. */
  public synchronized List<String> logOf(String runId) {
    List<String> out = new ArrayList<>();
    try (PreparedStatement p = db.prepareStatement(
        "SELECT at, state, event, detail FROM log WHERE run_id = ? ORDER BY id")) {
      p.setString(1, runId);
      try (ResultSet rs = p.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getString(1) + " " + rs.getString(2) + " " + rs.getString(3)
              + (rs.getString(4) == null ? "" : ": " + rs.getString(4)));
        }
      }
      return out;
    } catch (SQLException e) {
      throw failure("read the log of run " + runId, e);
    }
  }

  private void update(String sql, String... values) {
    try (PreparedStatement p = db.prepareStatement(sql)) {
      for (int i = 0; i < values.length; i++) {
        p.setString(i + 1, values[i]);
      }
      p.executeUpdate();
    } catch (SQLException e) {
      throw failure("write", e);
    }
  }

  private List<LocalRun> query(String sql, String... values) {
    List<LocalRun> out = new ArrayList<>();
    try (PreparedStatement p = db.prepareStatement(sql)) {
      for (int i = 0; i < values.length; i++) {
        p.setString(i + 1, values[i]);
      }
      try (ResultSet rs = p.executeQuery()) {
        while (rs.next()) {
          List<String> tags = new ArrayList<>();
          json(rs.getString(5)).forEach(t -> tags.add(t.asText()));
          out.add(new LocalRun(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), tags,
              rs.getString(6), rs.getString(7), json(rs.getString(8)), json(rs.getString(9)),
              Instant.parse(rs.getString(10)), rs.getString(11) == null ? null : Instant.parse(rs.getString(11)),
              rs.getString(12)));
        }
      }
      return out;
    } catch (SQLException e) {
      throw failure("read", e);
    }
  }

  private static String text(JsonNode node) {
    try {
      return node == null ? null : JSON.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree that cannot be written: " + e.getMessage(), e);
    }
  }

  private static JsonNode json(String text) {
    try {
      return text == null ? JSON.nullNode() : JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw new LocalRunException("the local run store holds damaged JSON: " + e.getOriginalMessage(), e);
    }
  }

  private LocalRunException failure(String what, SQLException e) {
    return new LocalRunException("cannot " + what + " in the local run store " + file + ": " + e.getMessage(), e);
  }

  @Override
  public synchronized void close() {
    try {
      db.close();
    } catch (SQLException ignored) {
      // every write was committed when it returned
    }
  }
}
