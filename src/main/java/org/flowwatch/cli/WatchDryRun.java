package org.flowwatch.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.flowwatch.config.Config;
import org.flowwatch.config.WatchConfig;
import org.flowwatch.input.InputDocument;
import org.flowwatch.ledger.Ledger;
import org.flowwatch.ledger.RunRecord;
import org.flowwatch.run.Readiness;
import org.flowwatch.run.RunDirectoryException;
import org.flowwatch.watch.RunLauncher;
import org.flowwatch.watch.WatchDirectory;

/**
 * {@code --watchdir DIR --dry-run}: one look at every run directory, saying what the agent would do with
 * it, without starting anything, writing the ledger, or touching the network.
 */
final class WatchDryRun {
  private final Terminal terminal;

  WatchDryRun(Terminal terminal) {
    this.terminal = terminal;
  }

  int run(Config cfg, Path watchDir, Path stateDirOption) {
    WatchMode.requireWatchDirectory(watchDir);
    Map<String, Path> dirs = new WatchDirectory(watchDir, cfg.runDirectory().pattern()).runDirectories();
    Path ledgerFile = WatchMode.ledgerFile(WatchMode.stateDir(stateDirOption, terminal));
    // Settle needs two scans over time; one look can only judge the other policies.
    List<String> instant = new ArrayList<>(cfg.watch().readiness());
    instant.remove("settle");
    Readiness readiness = new Readiness(new WatchConfig(instant, cfg.watch().triggerDelay(),
        cfg.watch().scanInterval(), cfg.watch().sentinel(), cfg.watch().manifestGlob(), cfg.watch().manifestCount(),
        cfg.watch().maxActiveRuns(), cfg.watch().maxStartsPerMinute()));
    RunLauncher launcher = new RunLauncher(cfg, terminal.env());
    PrintWriter out = terminal.out();
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
        } catch (RunDirectoryException | org.flowwatch.input.TemplateException ex) {
          ready = "-";
          document = "INVALID: " + ex.getMessage();
          invalid++;
        }
        String action = row.isPresent() ? "already " + state + " in the ledger" : "would start when " + ready;
        out.println(e.getKey() + "\t" + state + "\t" + ready + "\t" + document + "\t" + action);
      }
    }
    terminal.err().println(dirs.size() + " run director" + (dirs.size() == 1 ? "y" : "ies") + " in " + watchDir
        + "; " + invalid + " with an invalid input document; nothing was started");
    boolean lintClean = DryRunLint.report(cfg, terminal.err());
    return invalid == 0 && lintClean ? ExitCode.OK : ExitCode.INVALID_INPUT;
  }
}
