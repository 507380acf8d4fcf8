package org.flowwatch.watch;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.flowwatch.config.Config;
import org.flowwatch.config.WatchConfig;
import org.flowwatch.input.InputDocument;
import org.flowwatch.input.SchemaException;
import org.flowwatch.input.TemplateException;
import org.flowwatch.input.Violation;
import org.flowwatch.ledger.HistoryEntry;
import org.flowwatch.ledger.Ledger;
import org.flowwatch.ledger.RunRecord;
import org.flowwatch.ledger.RunState;
import org.flowwatch.ops.IgnoredNames;
import org.flowwatch.run.Readiness;
import org.flowwatch.run.RunDirectoryException;
import org.flowwatch.run.TreeSnapshot;

/**
 * {@code flowwatch explain DIR}: why a directory is where it is and what the agent will do with it next.
 * Reads what the agent would read — its name against the pattern, its ledger row and history, one look at
 * its tree for the readiness evidence (never waiting out a settle period: the agent's own settle memory in
 * the ledger says how long the tree has been quiet), its input document and the schema's verdict — and
 * changes nothing.
 */
public final class Explainer {
  /** History entries shown; older ones are counted. */
  static final int HISTORY_SHOWN = 10;

  private final Config config;
  private final Map<String, String> env;
  private final Clock clock;

  public Explainer(Config config, Map<String, String> env, Clock clock) {
    this.config = config;
    this.env = env;
    this.clock = clock;
  }

  /**
   * The explanation, one line each, in the order a person asks: what is it, where is it, why, what next.
   *
   * @param ledger the agent's ledger, or null when there is none yet
   */
  public List<String> explain(Path dir, Ledger ledger) {
    List<String> out = new ArrayList<>();
    Path abs = dir.toAbsolutePath().normalize();
    String key = abs.getFileName() == null ? abs.toString() : abs.getFileName().toString();
    Path root = abs.getParent();
    out.add(key + " (" + abs + ")");
    String owner = ledger == null ? null : ledger.watchRoot();
    if (owner != null && root != null && !sameDirectory(root, Path.of(owner))) {
      out.add("not in the watch directory: the ledger belongs to " + owner + ", and this directory is in " + root
          + "; the agent never looks here");
      return out;
    }
    IgnoredNames why = new IgnoredNames(clock);
    WatchDirectory directory = new WatchDirectory(root, config.runDirectory().pattern(), Agent.localRoots(config),
        why);
    boolean runDirectory = directory.accept(key, abs);
    RunRecord row = ledger == null ? null : ledger.get(key).orElse(null);
    if (!runDirectory) {
      String reason = !config.runDirectory().pattern().matcher(key).matches()
          ? "does not match the run directory pattern " + config.runDirectory().pattern().pattern()
          : why.entries().isEmpty()
          ? (Files.exists(abs, LinkOption.NOFOLLOW_LINKS) ? "is not a usable run directory" : "does not exist")
          : why.entries().get(0).reason();
      out.add("ignored: " + key + " " + reason);
    }
    ledgerPart(out, ledger, key, row);
    if (!runDirectory) {
      out.add("next: nothing; the agent ignores " + key + (row == null ? "" : " and leaves its ledger row as it is"));
      return out;
    }
    ReadinessEvidence evidence = readiness(out, abs, key, row);
    inputPart(out, abs);
    out.add("next: " + next(key, row, evidence, ledger));
    return out;
  }

  private static boolean sameDirectory(Path a, Path b) {
    try {
      return a.toRealPath().equals(b.toRealPath());
    } catch (java.io.IOException e) {
      return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
    }
  }

  private void ledgerPart(List<String> out, Ledger ledger, String key, RunRecord row) {
    if (ledger == null) {
      out.add("ledger: there is no ledger yet (no agent has run with this state directory)");
      return;
    }
    if (row == null) {
      out.add("ledger: not in the ledger: the agent has not seen it yet");
      return;
    }
    out.add("ledger: " + row.state() + " since " + row.updatedAt() + (row.runId() == null ? ""
        : ", run " + row.runId() + " (" + org.flowwatch.globus.flows.FlowRun.page(row.runId()) + ")")
        + ", attempts " + row.attempts() + (row.notBefore() == null ? "" : ", not before " + row.notBefore()));
    if (row.lastError() != null) {
      out.add("  last error: " + row.lastError());
    }
    List<HistoryEntry> history = ledger.history(key);
    int skip = Math.max(0, history.size() - HISTORY_SHOWN);
    if (skip > 0) {
      out.add("  ... " + skip + " earlier change(s); 'flowwatch status " + key + "' shows them all");
    }
    for (HistoryEntry h : history.subList(skip, history.size())) {
      out.add("  " + h.at() + "  " + (h.from() == null ? "" : h.from() + " -> ") + h.to()
          + (h.reason() == null ? "" : "  " + h.reason()));
    }
  }

  /**
   * What one look at the tree says, and whether the policies that need no waiting hold.
   *
   * @param readyAt when settle will be satisfied by the agent's own memory, or null when it cannot say
   */
  private record ReadinessEvidence(boolean instantOk, boolean settled, Instant readyAt, String missing) {}

  private ReadinessEvidence readiness(List<String> out, Path dir, String key, RunRecord row) {
    WatchConfig watch = config.watch();
    out.add("readiness: " + String.join(" + ", watch.readiness()) + (watch.uses("settle")
        ? " (trigger_delay " + watch.triggerDelay().toSeconds() + "s)" : ""));
    List<String> instant = new ArrayList<>(watch.readiness());
    instant.remove("settle");
    Readiness.Verdict v;
    try {
      v = new Readiness(watch.withReadiness(instant)).evaluate(key, dir, 0);
    } catch (RunDirectoryException e) {
      out.add("  cannot be read: " + e.getMessage());
      return new ReadinessEvidence(false, false, null, "it cannot be read");
    }
    TreeSnapshot snap = v.snapshot();
    out.add("  tree: " + snap.files() + " file(s), " + snap.bytes() + " bytes");
    if (snap.transferTempFiles() > 0) {
      out.add("  rsync temporary files: " + snap.transferTempFiles() + " (a transfer is still writing)");
    }
    if (watch.uses("sentinel")) {
      out.add("  sentinel " + watch.sentinel() + ": " + (Files.exists(dir.resolve(watch.sentinel()),
          LinkOption.NOFOLLOW_LINKS) ? "present" : "missing"));
    }
    if (watch.uses("manifest")) {
      out.add("  manifest: " + snap.manifestMatches() + " of " + watch.manifestCount() + " file(s) matching "
          + watch.manifestGlob());
    }
    boolean instantOk = instant.isEmpty() ? snap.transferTempFiles() == 0 : v.ready();
    String missing = instantOk ? null : v.reason();
    if (!watch.uses("settle")) {
      return new ReadinessEvidence(instantOk, true, null, missing);
    }
    if (snap.files() == 0) {
      out.add("  settle: no files yet");
      return new ReadinessEvidence(instantOk, false, null, missing == null ? "no files yet" : missing);
    }
    if (row == null || row.settleDigest() == null || row.settleSince() == null) {
      out.add("  settle: the agent has not looked at this tree yet; it must stay unchanged for "
          + watch.triggerDelay().toSeconds() + "s from its first look");
      return new ReadinessEvidence(instantOk, false, null, missing);
    }
    if (!snap.fingerprint().equals(row.settleDigest())) {
      out.add("  settle: still changing: the tree differs from the agent's last look (unchanged there since "
          + row.settleSince() + "); its quiet time starts again at the next look");
      return new ReadinessEvidence(instantOk, false, null, missing);
    }
    Instant readyAt = row.settleSince().plus(watch.triggerDelay());
    Duration quiet = Duration.between(row.settleSince(), clock.instant());
    boolean settled = !clock.instant().isBefore(readyAt);
    out.add("  settle: unchanged since " + row.settleSince() + " (" + quiet.toSeconds() + "s of "
        + watch.triggerDelay().toSeconds() + "s)" + (settled ? ": settled" : "; settled at " + readyAt));
    return new ReadinessEvidence(instantOk, settled, readyAt, missing);
  }

  private void inputPart(List<String> out, Path dir) {
    InputDocument doc;
    try {
      doc = new RunLauncher(config, env).prepare(dir);
    } catch (RunDirectoryException e) {
      out.add("input document: cannot be built for this directory: " + e.getMessage());
      return;
    } catch (TemplateException | SchemaException e) {
      out.add("input document: cannot be built with this config (nothing can start): " + e.getMessage());
      return;
    }
    if (doc.isValid()) {
      out.add("input document: valid against " + config.flow().schema() + " (label '" + doc.label() + "')");
      return;
    }
    out.add("input document: breaks " + config.flow().schema() + " in " + doc.report().violations().size()
        + " place(s):");
    for (Violation v : doc.report().violations()) {
      out.add("  " + (v.pointer().isEmpty() ? "(root)" : v.pointer()) + ": " + v.message());
    }
  }

  private String next(String key, RunRecord row, ReadinessEvidence e, Ledger ledger) {
    WatchConfig watch = config.watch();
    String scan = "the next scan (every " + watch.scanInterval().toMillis() / 1000.0 + "s)";
    if (row == null) {
      return "the agent records it as SEEN at " + scan + " and judges its readiness from then on";
    }
    RunState s = row.state();
    return switch (s) {
      case SEEN, SETTLING -> !e.instantOk() ? "waits until " + e.missing() + " changes; looked at again at " + scan
          : e.settled() ? "READY at " + scan + ", then started within max_starts_per_minute ("
              + watch.maxStartsPerMinute() + ") and max_active_runs (" + watch.maxActiveRuns() + ")"
          : e.readyAt() != null ? "READY at the first scan after " + e.readyAt() + " if the tree stays as it is"
          : "READY once the tree stays unchanged for " + watch.triggerDelay().toSeconds() + "s of scans";
      case READY -> startWhen(row, ledger);
      case HELD -> "started when the Compute endpoint it needs is online again (checked every pass)"
          + (row.lastError() == null ? "" : ": " + row.lastError());
      case STARTING -> "the agent asks the service for the run with token " + row.token()
          + (row.notBefore() == null ? " at its next pass" : " at its first pass after " + row.notBefore())
          + "; found: ACTIVE, not found after the grace period: started again with a new token";
      case ACTIVE -> "followed: the agent asks the service for its status every " + watch.statusPoll().toSeconds()
          + "s until it ends";
      case INACTIVE -> "waits for a person: " + (row.lastError() == null ? "see the run's page" : row.lastError())
          + "; after that the run goes on, and the agent follows it";
      case LOST -> "looked for every " + RunPoller.LOST_POLL.toMinutes() + " minutes; the service does not show"
          + " run " + row.runId() + " to this identity";
      case INVALID -> "looked at again when its tree changes; or 'flowwatch retry " + key + "' once the"
          + " document is fixed another way";
      case SUCCEEDED, FAILED, ENDED -> "nothing: " + s + " is final; 'flowwatch retry " + key + "' starts it again";
    };
  }

  private String startWhen(RunRecord row, Ledger ledger) {
    int inFlight = ledger.count(RunState.IN_FLIGHT);
    WatchConfig watch = config.watch();
    String when = row.notBefore() != null && row.notBefore().isAfter(clock.instant())
        ? "not before " + row.notBefore() + " (backoff" + (row.lastError() == null ? "" : " after: "
            + row.lastError()) + ")" : "at the next pass";
    String limit = inFlight >= watch.maxActiveRuns() ? "; but " + inFlight + " runs are in flight, the"
        + " max_active_runs limit (" + watch.maxActiveRuns() + "): it waits for one of them to end" : "";
    return "started " + when + limit;
  }
}
