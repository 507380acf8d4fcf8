package org.flowwatch.watch;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.flowwatch.config.WatchConfig;
import org.flowwatch.globus.Sleeper;
import org.flowwatch.ledger.RunRecord;
import org.flowwatch.run.Readiness;
import org.flowwatch.run.TreeSnapshot;

/**
 * Judges a hand start's run directory by the configured readiness at once: sentinel, manifest and rsync
 * temporary files in one look; settle by two snapshots {@code trigger_delay} apart, or by the settle
 * snapshot an agent already keeps in the ledger when the tree still matches it.
 */
final class HandReadiness {
  private final WatchConfig watch;
  private final Clock clock;
  private final Sleeper sleeper;

  HandReadiness(WatchConfig watch, Clock clock, Sleeper sleeper) {
    this.watch = watch;
    this.clock = clock;
    this.sleeper = sleeper;
  }

  /**
   * Why {@code dir} is not ready, or empty when it is.
   *
   * @param row the ledger's row for it, whose settle snapshot counts, or null
   * @param waiting told how long the settle look will take, before it waits
   */
  Optional<String> notReady(String key, Path dir, RunRecord row, java.util.function.Consumer<Duration> waiting)
      throws InterruptedException {
    List<String> instant = new ArrayList<>(watch.readiness());
    instant.remove("settle");
    Readiness oneLook = new Readiness(watch.withReadiness(instant));
    Readiness.Verdict v = oneLook.evaluate(key, dir, 0);
    if (!v.ready()) {
      return Optional.of(v.reason());
    }
    if (!watch.uses("settle")) {
      return Optional.empty();
    }
    TreeSnapshot first = v.snapshot();
    if (first.files() == 0) {
      return Optional.of("no files yet");
    }
    if (row != null && first.fingerprint().equals(row.settleDigest()) && row.settleSince() != null
        && Duration.between(row.settleSince(), clock.instant()).compareTo(watch.triggerDelay()) >= 0) {
      return Optional.empty(); // the agent has watched it unchanged for long enough already
    }
    waiting.accept(watch.triggerDelay());
    sleeper.sleep(watch.triggerDelay());
    Readiness.Verdict again = oneLook.evaluate(key, dir, 0);
    if (!again.ready()) {
      return Optional.of(again.reason());
    }
    return first.fingerprint().equals(again.snapshot().fingerprint()) ? Optional.empty()
        : Optional.of("still changing: the tree changed during the " + watch.triggerDelay().toSeconds()
            + "s settle look (watch.trigger_delay)");
  }
}
