package org.flowwatch.watch;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.flowwatch.globus.AuthenticationException;
import org.flowwatch.globus.ConsentRequiredException;
import org.flowwatch.globus.ForbiddenException;
import org.flowwatch.globus.GlobusException;
import org.flowwatch.globus.InvalidRequestException;
import org.flowwatch.globus.NotFoundException;
import org.flowwatch.globus.OutcomeUnknownException;
import org.flowwatch.globus.RateLimitedException;
import org.flowwatch.globus.flows.FlowRun;
import org.flowwatch.globus.flows.FlowsClient;
import org.flowwatch.input.InputDocument;
import org.flowwatch.input.SchemaException;
import org.flowwatch.input.TemplateException;
import org.flowwatch.ledger.RunRecord;
import org.flowwatch.ledger.RunState;
import org.flowwatch.ledger.Transition;
import org.flowwatch.run.RunDirectoryException;
import org.flowwatch.run.TreeSnapshot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts READY runs exactly once (design.md, "Exactly once"): STARTING with a fresh trigger token is on
 * disk before the request; ACTIVE with the run id after the answer; when the answer is lost, the token is
 * looked up in the service's run list before any new attempt.
 */
final class RunStarter {
  private static final Logger log = LoggerFactory.getLogger(RunStarter.class);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Path root;
  private final RunLauncher launcher;
  private final FlowsClient flows;
  private final TransitionLog ledger;
  private final StartPacer pacer;
  private final AgentOptions options;
  private final Clock clock;
  private final java.util.UUID flowId;

  RunStarter(Path root, RunLauncher launcher, java.util.UUID flowId, FlowsClient flows, TransitionLog ledger,
      StartPacer pacer, AgentOptions options, Clock clock) {
    this.root = root;
    this.launcher = launcher;
    this.flowId = flowId;
    this.flows = flows;
    this.ledger = ledger;
    this.pacer = pacer;
    this.options = options;
    this.clock = clock;
  }

  /** Builds, validates and starts one READY run directory. */
  void start(RunRecord row) {
    Path dir = root.resolve(row.key());
    if (!Files.isDirectory(dir)) {
      ledger.apply(Transition.of(row.key(), RunState.SETTLING).from(RunState.READY)
          .reason("the directory vanished before its start; waiting for it to come back"));
      return;
    }
    InputDocument doc;
    try {
      doc = launcher.prepare(dir);
    } catch (RunDirectoryException | TemplateException | SchemaException e) {
      invalid(row, dir, e.getMessage());
      return;
    }
    if (!doc.isValid()) {
      invalid(row, dir, "the input document breaks the flow's schema: " + doc.report().format());
      return;
    }
    String token = "fw-" + HexFormat.of().formatHex(bytes());
    if (ledger.apply(Transition.of(row.key(), RunState.STARTING).from(RunState.READY).startWith(token)
        .reason("starting, attempt " + (row.attempts() + 1) + ", token " + token)).isEmpty()) {
      return; // someone (a retry command) moved it meanwhile
    }
    try {
      FlowRun run = launcher.start(doc, token, flows);
      ledger.apply(Transition.of(row.key(), RunState.ACTIVE).from(RunState.STARTING).runId(run.runId().toString())
          .clearError().reason("started " + RunLauncher.labelWithToken(doc.label(), token)));
    } catch (OutcomeUnknownException e) {
      // The run may exist. Leave it STARTING: the next pass looks the token up before anything else.
      ledger.apply(Transition.of(row.key(), RunState.STARTING).from(RunState.STARTING).error(e.getMessage())
          .notBefore(clock.instant().plusSeconds(5)).reason("answer lost; will look for token " + token));
    } catch (RateLimitedException e) {
      Instant until = clock.instant().plus(e.retryAfter().orElse(Duration.ofSeconds(30)));
      pacer.pauseUntil(until);
      notStarted(row.key(), e, until);
    } catch (InvalidRequestException e) {
      invalidAfterStart(row.key(), dir, "Globus rejected the input: " + e.getMessage());
    } catch (ConsentRequiredException | AuthenticationException | ForbiddenException | NotFoundException e) {
      // Every start would fail the same way: pause them all, and say how to fix it.
      Instant until = clock.instant().plus(backoff(row.attempts() + 1));
      pacer.pauseUntil(until);
      log.error("{}", e.getMessage());
      notStarted(row.key(), e, until);
    } catch (GlobusException e) {
      notStarted(row.key(), e, clock.instant().plus(backoff(row.attempts() + 1)));
    }
  }

  private static byte[] bytes() {
    byte[] b = new byte[4];
    RANDOM.nextBytes(b);
    return b;
  }

  /**
   * Settles a STARTING row whose outcome is unknown (lost answer, crash, kill -9): the run found by its
   * token makes it ACTIVE; no run after the grace period means no run was created, so it starts again.
   */
  void reconcile(RunRecord row) {
    String token = row.token();
    if (token == null) {
      ledger.apply(Transition.of(row.key(), RunState.READY).from(RunState.STARTING).reason("no token; start again"));
      return;
    }
    List<FlowRun> runs;
    try {
      runs = flows.listRuns(flowId, token);
    } catch (RateLimitedException e) {
      pacer.pauseUntil(clock.instant().plus(e.retryAfter().orElse(Duration.ofSeconds(30))));
      return;
    } catch (GlobusException e) {
      ledger.apply(Transition.of(row.key(), RunState.STARTING).from(RunState.STARTING)
          .error("cannot look up token " + token + ": " + e.getMessage())
          .notBefore(clock.instant().plus(Duration.ofSeconds(30))));
      return;
    }
    Optional<FlowRun> found = runs.stream()
        .filter(r -> r.label() != null && r.label().endsWith(" " + token) || r.tags().contains(token))
        .findFirst();
    if (found.isPresent()) {
      ledger.apply(Transition.of(row.key(), RunState.ACTIVE).from(RunState.STARTING)
          .runId(found.get().runId().toString()).clearError()
          .reason("found the run started with token " + token));
      return;
    }
    Instant settled = row.updatedAt().plus(options.startGrace());
    if (clock.instant().isBefore(settled)) {
      ledger.apply(Transition.of(row.key(), RunState.STARTING).from(RunState.STARTING).notBefore(settled));
      return;
    }
    ledger.apply(Transition.of(row.key(), RunState.READY).from(RunState.STARTING)
        .reason("no run carries token " + token + "; it was never created, so start again"));
  }

  private void notStarted(String key, GlobusException e, Instant retryAt) {
    ledger.apply(Transition.of(key, RunState.READY).from(RunState.STARTING).error(e.getMessage()).notBefore(retryAt)
        .reason("not started (" + e.getClass().getSimpleName().replace("Exception", "") + "); next try at "
            + retryAt));
  }

  private void invalid(RunRecord row, Path dir, String why) {
    ledger.apply(Transition.of(row.key(), RunState.INVALID).from(RunState.READY).error(why)
        .fingerprint(fingerprint(dir)).reason("input document invalid; fix the directory or config, then it"
            + " is looked at again when the directory changes, or run 'flowwatch retry " + row.key() + "'"));
  }

  private void invalidAfterStart(String key, Path dir, String why) {
    ledger.apply(Transition.of(key, RunState.INVALID).from(RunState.STARTING).error(why)
        .fingerprint(fingerprint(dir)).reason("Globus rejected the input document"));
  }

  static String fingerprint(Path dir) {
    try {
      return TreeSnapshot.take(dir, null).fingerprint();
    } catch (RunDirectoryException e) {
      return "gone";
    }
  }

  /** 30 s, doubling per attempt, at most 30 minutes. */
  static Duration backoff(int attempt) {
    long seconds = 30L << Math.min(Math.max(attempt - 1, 0), 6);
    return Duration.ofSeconds(Math.min(seconds, 1800));
  }
}
