package org.flowwatch.ledger;

import java.time.Instant;
import java.util.Objects;

/**
 * A change to one ledger row. Fields left null keep their stored value, except as the builder methods
 * say. {@code expected} makes the write conditional: it applies only if the row is still in that state
 * (and, with {@link #fromStart}, still carries that start's token).
 */
public final class Transition {
  final String key;
  final RunState to;
  RunState expected;
  String expectedToken;
  boolean expectAbsent;
  String reason;
  String token;
  boolean clearToken;
  String runId;
  boolean clearRunId;
  String error;
  boolean clearError;
  String fingerprint;
  Instant notBefore;
  boolean clearNotBefore;
  boolean countAttempt;
  boolean resetAttempts;
  boolean retry;
  String settleDigest;
  Instant settleSince;
  boolean clearSettle;

  private Transition(String key, RunState to) {
    this.key = Objects.requireNonNull(key, "key");
    this.to = Objects.requireNonNull(to, "to");
  }

  public static Transition of(String key, RunState to) {
    return new Transition(key, to);
  }

  /** A new start request or a person's retry: on disk before apply returns (see {@link Ledger}). */
  boolean mustBeDurable() {
    return token != null || retry;
  }

  public String key() {
    return key;
  }

  public RunState to() {
    return to;
  }

  /** The reason given for this transition, or null. */
  public String reasonText() {
    return reason;
  }

  public Transition from(RunState state) {
    this.expected = state;
    return this;
  }

  /**
   * Applies only if the row is STARTING with {@code startToken}: what one start came to (its answer, or
   * its token looked up) must not settle another start of the same directory, made meanwhile by another
   * process after it had settled this one.
   */
  public Transition fromStart(String startToken) {
    this.expected = RunState.STARTING;
    this.expectedToken = Objects.requireNonNull(startToken, "startToken");
    return this;
  }

  /** Applies only if the ledger has no row for the key yet (a hand start racing the agent's first look). */
  public Transition onlyIfNew() {
    this.expectAbsent = true;
    return this;
  }

  /**
   * Records the settle snapshot a scan took: its digest and when this host first saw the tree so, kept so
   * that {@code --once} passes and restarted agents measure quiet time across processes.
   */
  public Transition settle(String digest, Instant since) {
    this.settleDigest = Objects.requireNonNull(digest, "digest");
    this.settleSince = Objects.requireNonNull(since, "since");
    return this;
  }

  public Transition clearSettle() {
    this.clearSettle = true;
    return this;
  }

  public Transition reason(String why) {
    this.reason = why;
    return this;
  }

  /** A new start request: new token, attempt counted, old run id and error cleared. */
  public Transition startWith(String newToken) {
    this.token = newToken;
    this.countAttempt = true;
    this.clearRunId = true;
    this.clearError = true;
    return this;
  }

  public Transition runId(String id) {
    this.runId = id;
    return this;
  }

  public Transition error(String message) {
    this.error = message;
    return this;
  }

  public Transition clearError() {
    this.clearError = true;
    return this;
  }

  public Transition fingerprint(String value) {
    this.fingerprint = value;
    return this;
  }

  public Transition notBefore(Instant when) {
    this.notBefore = when;
    return this;
  }

  /**
   * A start asked for again by hand ({@code --rundir --again}): may leave a final state, and counts as one
   * more attempt of the same row, keeping its history.
   */
  public Transition again() {
    this.retry = true;
    return this;
  }

  /** An explicit {@code flowwatch retry}: the only way out of a final state; starts counting afresh. */
  public Transition asRetry() {
    this.retry = true;
    this.resetAttempts = true;
    this.clearToken = true;
    this.clearRunId = true;
    this.clearError = true;
    this.clearNotBefore = true;
    return this;
  }
}
