package org.flowwatch.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import org.flowwatch.engine.CauseLine;
import org.flowwatch.engine.Checkpoint;
import org.flowwatch.engine.RunListener;

/**
 * run-flow's stderr: one line per state when it ends, naming the state, its type and how it ended
 * ({@code MakeRawDataDir (Action): caught ActionFailedException -> StatRawDataDir: ...}); with
 * {@code verbose}, an action's progress lines too, indented under it.
 */
final class StateLines implements RunListener {

  private final PrintWriter err;
  private final boolean verbose;
  private String type = "";
  private String current = "(none yet)";
  private long started;

  StateLines(PrintWriter err, boolean verbose) {
    this.err = err;
    this.verbose = verbose;
  }

  @Override
  public void entered(Checkpoint at, String stateType) {
    type = stateType;
    current = at.state();
    started = System.nanoTime();
  }

  /** The state that started last. */
  String current() {
    return current;
  }

  @Override
  public void progress(String state, String line) {
    if (verbose) {
      err.println("    " + state + ": " + line);
      err.flush();
    }
  }

  @Override
  public void finished(String state, String next, JsonNode flowState) {
    line(state, next == null ? "succeeded, the run ends here" : "succeeded -> " + next);
  }

  @Override
  public void caught(String state, String error, String cause, String next) {
    line(state, "caught " + error + " -> " + next + ": " + CauseLine.of(cause));
  }

  @Override
  public void failed(String state, String error, String cause) {
    line(state, "failed with " + error + ", nothing caught it: " + CauseLine.of(cause));
  }

  private void line(String state, String how) {
    long ms = (System.nanoTime() - started) / 1_000_000;
    err.println(state + " (" + type + ", " + seconds(ms) + "): " + how);
    err.flush();
  }

  private static String seconds(long ms) {
    return ms < 1000 ? ms + " ms" : String.format(java.util.Locale.ROOT, "%.1f s", ms / 1000.0);
  }
}
