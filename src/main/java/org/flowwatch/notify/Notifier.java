package org.flowwatch.notify;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLSocketFactory;
import org.flowwatch.config.ConfigException;
import org.flowwatch.config.Durations;
import org.flowwatch.config.NotifyConfig;
import org.flowwatch.globus.flows.FlowRun;
import org.flowwatch.ledger.RunRecord;
import org.flowwatch.ledger.RunState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells people what the agent cannot fix alone. The agent's thread only puts events on a bounded queue;
 * one daemon thread of the notifier's own collects them for {@code notify.digest} after the first, sends
 * them as one message to every channel, and retries a failed channel with backoff. A receiver that is slow,
 * down or refusing costs the agent nothing: at worst events beyond the queue's bound are counted and
 * dropped, and the next message says how many.
 */
public final class Notifier implements RunEvents, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger("flowwatch.notify");
  /** Enough for a whole experiment's run directories failing at once. */
  static final int QUEUE_BOUND = 10_000;
  /** The same agent-wide problem is told again only after this long: a pause that repeats is one problem. */
  static final Duration REPEAT_AFTER = Duration.ofHours(1);
  /**
   * How long closing waits for the last message to go out: short, because SIGTERM must end the agent
   * within 10 s and the agent's own stop may take most of that.
   */
  static final Duration FLUSH_WITHIN = Duration.ofSeconds(2);
  private static final Set<String> RUN_EVENTS = Set.of("FAILED", "INVALID", "INACTIVE", "LOST", "SUCCEEDED",
      "ENDED");

  /** How a failed delivery is tried again: {@code attempts} in all, waiting {@code first}, then times {@code factor}. */
  public record Retries(int attempts, Duration first, double factor) {
    public static final Retries DEFAULT = new Retries(4, Duration.ofSeconds(5), 4);

    Duration after(int failures) {
      return Duration.ofMillis((long) (first.toMillis() * Math.pow(factor, failures - 1)));
    }
  }

  private final String watchRoot;
  private final Path root;
  private final Map<String, String> env;
  private final Clock clock;
  private final Retries retries;
  private final SSLSocketFactory tls;
  private final String host;
  private final BlockingQueue<Event> queue = new ArrayBlockingQueue<>(QUEUE_BOUND);
  /**
   * Wakes the idle thread, never delivered: with nothing HELD the thread waits long between looks (an
   * idle agent must cost nothing), so a close or a new HELD row must not wait for that look.
   */
  private static final Event WAKE = new Event("wake", null, null, null, null, null, "", Instant.EPOCH);
  /** How long the thread waits for an event while no HELD directory has a time to be told at. */
  private static final Duration IDLE_WAIT = Duration.ofMinutes(1);
  private final AtomicInteger dropped = new AtomicInteger();
  private final AtomicBoolean overflowing = new AtomicBoolean();
  /** The state last told about, per key, so a transition that repeats a state is not told twice. */
  private final Map<String, String> told = new ConcurrentHashMap<>();
  /** HELD directories not yet told about, with when they became HELD. */
  private final Map<String, RunRecord> held = new ConcurrentHashMap<>();
  private final Map<String, Instant> agentWide = new ConcurrentHashMap<>();
  private final Thread thread;
  private volatile Settings settings;
  private volatile boolean closing;

  private record Settings(NotifyConfig config, List<Channel> channels) {}

  private Notifier(NotifyConfig config, Path root, Map<String, String> env, Clock clock, Retries retries,
      SSLSocketFactory tls) {
    this.root = root.toAbsolutePath().normalize();
    this.watchRoot = this.root.toString();
    this.env = Map.copyOf(env);
    this.clock = clock;
    this.retries = retries;
    this.tls = tls;
    this.host = hostName(env);
    this.settings = settings(config);
    this.thread = new Thread(this::deliverLoop, "flowwatch-notify");
    thread.setDaemon(true);
  }

  /**
   * Starts the notifier's thread.
   *
   * @throws ConfigException when the environment's SMTP login is half set
   */
  public static Notifier start(NotifyConfig config, Path watchRoot, Map<String, String> env, Clock clock) {
    return start(config, watchRoot, env, clock, Retries.DEFAULT, (SSLSocketFactory) SSLSocketFactory.getDefault());
  }

  /** As {@link #start(NotifyConfig, Path, Map, Clock)}, with the retry policy and TLS trust given (tests). */
  public static Notifier start(NotifyConfig config, Path watchRoot, Map<String, String> env, Clock clock,
      Retries retries, SSLSocketFactory tls) {
    Notifier n = new Notifier(config, watchRoot, env, clock, retries, tls);
    n.thread.start();
    return n;
  }

  /**
   * Applies a reloaded config's {@code notify:} section; events already queued go out the new way.
   *
   * @throws ConfigException when the environment's SMTP login is half set (the old settings stay)
   */
  public void reconfigure(NotifyConfig config) {
    settings = settings(config);
  }

  private Settings settings(NotifyConfig config) {
    List<Channel> channels = new ArrayList<>();
    if (config.webhookUrl() != null) {
      channels.add(new WebhookChannel(config.webhookUrl()));
    }
    if (config.email() != null) {
      try {
        channels.add(new EmailChannel(config.email(), env, tls, host));
      } catch (IllegalArgumentException e) {
        throw new ConfigException("notify.email: " + e.getMessage(), e);
      }
    }
    if (config.command() != null) {
      channels.add(new CommandChannel(config.command(), env));
    }
    return new Settings(config, List.copyOf(channels));
  }

  /** What is sent where, for the agent's start line; empty when nothing is configured. */
  public java.util.Optional<String> describe() {
    Settings s = settings;
    if (s.channels().isEmpty()) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(String.join(", ", s.channels().stream().map(Channel::name).toList()) + " on "
        + String.join(", ", s.config().on()) + "; bursts within " + Durations.spoken(s.config().digest())
        + " sent as one message; HELD told after " + Durations.spoken(s.config().heldAfter()));
  }

  @Override
  public void applied(RunRecord row, String reason) {
    try {
      Settings s = settings;
      String state = row.state().name();
      if (row.state() == RunState.HELD) {
        if (held.putIfAbsent(row.key(), row) == null) {
          queue.offer(WAKE); // the thread may be in its long idle wait: HELD times are looked at every 250 ms
        }
      } else {
        held.remove(row.key());
      }
      String before = RUN_EVENTS.contains(state) || row.state() == RunState.HELD ? told.put(row.key(), state)
          : told.remove(row.key());
      if (s.channels().isEmpty() || !RUN_EVENTS.contains(state) || state.equals(before)
          || !s.config().on().contains(state)) {
        return;
      }
      offer(event(state, row, whatToDo(row, reason)));
    } catch (RuntimeException e) {
      log.warn("could not queue a notification for {}: {}", row.key(), e.toString());
    }
  }

  @Override
  public void startsPaused(String why, Instant until, boolean credentials) {
    try {
      Settings s = settings;
      String kind = credentials ? "CREDENTIALS" : "PAUSED";
      if (s.channels().isEmpty() || !s.config().on().contains(kind)) {
        return;
      }
      Instant now = clock.instant();
      String seen = kind + " " + why;
      Instant last = agentWide.get(seen);
      if (last != null && now.isBefore(last.plus(REPEAT_AFTER))) {
        return;
      }
      agentWide.put(seen, now);
      offer(new Event(kind, null, null, null, null, null, why + "; every start waits until " + until
          + ", then tries again", now));
    } catch (RuntimeException e) {
      log.warn("could not queue a notification that starts are paused: {}", e.toString());
    }
  }

  private Event event(String kind, RunRecord row, String message) {
    String runId = row.runId();
    return new Event(kind, row.key(), root.resolve(row.key()).toString(), row.state().name(), runId,
        runId == null ? null : FlowRun.page(runId), message, clock.instant());
  }

  /**
   * The ledger's own words: its error says what is wrong (and, for a run, the fix); the transition's reason
   * says why it moved and often what to do ({@code flowwatch retry KEY} for an INVALID document). Both,
   * unless one already says the other.
   */
  static String whatToDo(RunRecord row, String reason) {
    String error = row.lastError() == null || row.lastError().isBlank() ? null : row.lastError().strip();
    String why = reason == null || reason.isBlank() ? null : reason.strip();
    if (error == null) {
      return why != null ? why : "now " + row.state();
    }
    return why == null || error.contains(why) ? error : error + " — " + why;
  }

  private void offer(Event e) {
    if (queue.offer(e)) {
      overflowing.set(false);
      return;
    }
    dropped.incrementAndGet();
    if (overflowing.compareAndSet(false, true)) {
      log.warn("the notification queue is full ({} events waiting: the receivers are not keeping up); further"
          + " events are counted, not queued, until it drains", QUEUE_BOUND);
    }
  }

  /** Moves HELD directories that have waited {@code held_after} onto the queue. */
  private void heldLongEnough() {
    Settings s = settings;
    Instant now = clock.instant();
    for (RunRecord row : held.values()) {
      Instant since = row.updatedAt() == null ? now : row.updatedAt();
      if (!now.isBefore(since.plus(s.config().heldAfter())) && held.remove(row.key(), row)) {
        if (!s.channels().isEmpty() && s.config().on().contains("HELD")) {
          offer(event("HELD", row, whatToDo(row, null) + " (HELD since " + since + "; it starts by itself once"
              + " that is fixed)"));
        }
      }
    }
  }

  private void deliverLoop() {
    try {
      while (!closing) {
        heldLongEnough();
        Event first = queue.poll(held.isEmpty() ? IDLE_WAIT.toMillis() : 250, TimeUnit.MILLISECONDS);
        if (first == null || first == WAKE) {
          continue;
        }
        List<Event> batch = new ArrayList<>();
        batch.add(first);
        long until = System.nanoTime() + settings.config().digest().toNanos();
        while (!closing) {
          long left = until - System.nanoTime();
          if (left <= 0) {
            break;
          }
          Event next = queue.poll(Math.min(left, TimeUnit.MILLISECONDS.toNanos(250)), TimeUnit.NANOSECONDS);
          if (next != null && next != WAKE) {
            batch.add(next);
          }
        }
        queue.drainTo(batch);
        batch.removeIf(e -> e == WAKE);
        deliver(batch, closing);
      }
      heldLongEnough(); // a --once pass ends here: what it found HELD long enough is told too
      List<Event> rest = new ArrayList<>();
      queue.drainTo(rest);
      rest.removeIf(e -> e == WAKE);
      if (!rest.isEmpty()) {
        deliver(rest, true);
      }
    } catch (InterruptedException e) {
      int left = queue.size();
      if (left > 0) {
        log.warn("stopping with {} notifications not sent; 'flowwatch status' shows every directory's state", left);
      }
    }
  }

  private void deliver(List<Event> batch, boolean once) throws InterruptedException {
    Settings s = settings;
    Message message = Message.of(batch, host, watchRoot, dropped.getAndSet(0));
    for (Channel channel : s.channels()) {
      int attempts = once ? 1 : retries.attempts();
      for (int attempt = 1; attempt <= attempts; attempt++) {
        try {
          channel.send(message);
          log.info("notified by {}: {}", channel.name(), message.subject());
          break;
        } catch (java.io.IOException | RuntimeException e) {
          String why = e.getMessage() == null ? e.toString() : e.getMessage();
          if (attempt == attempts) {
            log.warn("could not notify by {} ({}): {}; gave up after {} attempt{}; the events are in the ledger"
                + " ('flowwatch status')", channel.name(), message.subject(), why, attempts, attempts == 1 ? "" : "s");
          } else {
            Duration wait = retries.after(attempt);
            log.warn("could not notify by {} ({}): {}; attempt {} of {}, next in {}", channel.name(),
                message.subject(), why, attempt, attempts, Durations.spoken(wait));
            Thread.sleep(wait.toMillis());
          }
        }
      }
    }
  }

  /** Sends what is queued now (no digest wait, one attempt), waiting at most {@link #FLUSH_WITHIN}. */
  @Override
  public void close() {
    closing = true;
    queue.offer(WAKE);
    try {
      thread.join(FLUSH_WITHIN.toMillis());
      if (thread.isAlive()) {
        thread.interrupt();
        thread.join(500);
      }
    } catch (InterruptedException e) {
      thread.interrupt();
      Thread.currentThread().interrupt();
    }
  }

  private static String hostName(Map<String, String> env) {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      String h = env.get("HOSTNAME");
      return h == null || h.isBlank() ? "localhost" : h;
    }
  }
}
