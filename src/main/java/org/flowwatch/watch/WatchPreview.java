package org.flowwatch.watch;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiPredicate;
import org.flowwatch.config.Config;
import org.flowwatch.input.InputDocument;
import org.flowwatch.input.SchemaException;
import org.flowwatch.input.TemplateException;
import org.flowwatch.ledger.Ledger;
import org.flowwatch.ledger.RunRecord;
import org.flowwatch.run.Readiness;
import org.flowwatch.run.RunDirectoryException;
import org.flowwatch.text.Printable;

/**
 * {@code --watchdir DIR --dry-run}: one look at every run directory, saying what the agent would do with
 * it, without starting anything, writing the ledger, or touching the network.
 */
public final class WatchPreview {
  private final PrintWriter out;
  private final PrintWriter err;
  private final Map<String, String> env;
  private final BiPredicate<Config, PrintWriter> lint;

  /** @param lint prints the flow's lint findings; true when there is no error */
  public WatchPreview(PrintWriter out, PrintWriter err, Map<String, String> env,
      BiPredicate<Config, PrintWriter> lint) {
    this.out = out;
    this.err = err;
    this.env = env;
    this.lint = lint;
  }

  public Outcome run(StartOptions options) {
    WatchAgent.requireWatchDirectory(options.watchDir());
    Config cfg = options.loadConfig(env);
    Path watchDir = options.watchDir();
    Map<String, Path> dirs = new WatchDirectory(watchDir, cfg.runDirectory().pattern(), Agent.localRoots(cfg)).runDirectories();
    Path ledgerFile = options.state(env).ledger();
    // Settle needs two scans over time; one look can only judge the other policies.
    List<String> instant = new ArrayList<>(cfg.watch().readiness());
    instant.remove("settle");
    Readiness readiness = new Readiness(cfg.watch().withReadiness(instant));
    RunLauncher launcher = new RunLauncher(cfg, env);
    int invalid = 0;
    try (Ledger ledger = Files.exists(ledgerFile) ? Ledger.open(ledgerFile, null, Clock.systemUTC()) : null) {
      for (Map.Entry<String, Path> e : dirs.entrySet()) {
        Optional<RunRecord> row = ledger == null ? Optional.empty() : ledger.get(e.getKey());
        String state = row.map(r -> r.state().name()).orElse("new");
        String ready;
        String document;
        try {
          Readiness.Verdict v = readiness.evaluate(e.getKey(), e.getValue(), System.nanoTime());
          ready = !v.ready() ? "waiting: " + v.reason()
              : cfg.watch().uses("settle") ? "ready once unchanged for " + cfg.watch().triggerDelay().toSeconds()
                  + "s" : "ready";
          InputDocument doc = launcher.prepare(e.getValue());
          document = doc.isValid() ? "valid, label '" + doc.label() + "'"
              : "INVALID: " + doc.report().format().replace("\n", "; ");
          invalid += doc.isValid() ? 0 : 1;
        } catch (RunDirectoryException ex) {
          ready = "-";
          document = "INVALID: " + ex.getMessage();
          invalid++;
        } catch (TemplateException | SchemaException ex) {
          throw new ConfigProblem(ex.getMessage(), ex); // every directory would say the same
        }
        String action = row.isPresent() ? "already " + state + " in the ledger" : "would start when " + ready;
        // One row per directory whatever its name holds: each field is made one printable line.
        out.println(String.join("\t", Printable.line(e.getKey()), state, Printable.line(ready),
            Printable.line(document), action));
      }
    }
    err.println(dirs.size() + " run director" + (dirs.size() == 1 ? "y" : "ies") + " in " + watchDir
        + "; " + invalid + " with an invalid input document; nothing was started");
    boolean lintClean = lint.test(cfg, err);
    return invalid == 0 && lintClean ? Outcome.OK : Outcome.INVALID;
  }
}
