package org.flowwatch.notify;

import static org.flowwatch.notify.Receivers.FAST;
import static org.flowwatch.notify.Receivers.RUN_ID;
import static org.flowwatch.notify.Receivers.row;
import static org.flowwatch.notify.Receivers.webhook;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.net.ssl.SSLSocketFactory;
import org.flowwatch.config.NotifyConfig;
import org.flowwatch.ledger.RunRecord;
import org.flowwatch.ledger.RunState;
import org.flowwatch.testing.LogCapture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The notifier against a real HTTP receiver and a real program. */
class NotifierTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration WAIT = Duration.ofSeconds(10);

  @TempDir Path dir;
  private Notifier notifier;

  @AfterEach
  void close() {
    if (notifier != null) {
      notifier.close();
    }
  }

  private Notifier start(NotifyConfig config, Map<String, String> env) {
    notifier = Notifier.start(config, dir.resolve("rawdata"), env, Clock.systemUTC(), FAST,
        (SSLSocketFactory) SSLSocketFactory.getDefault());
    return notifier;
  }

  @Test
  void aFailedRunIsPostedWithItsDirectoryRunPageAndWhatToDo() throws Exception {
    try (Receivers.Http http = new Receivers.Http()) {
      start(webhook(http.url(), Duration.ZERO), Map.of());

      notifier.applied(row("run1217", RunState.FAILED, RUN_ID, "ActionFailedException: fit exited 1 (see "
          + "https://app.globus.org/runs/" + RUN_ID + ")"), "ActionFailedException");

      String body = http.next(WAIT);
      assertNotNull(body, "nothing was posted");
      JsonNode json = JSON.readTree(body);
      assertEquals("FAILED", json.get("event").asText());
      assertEquals("run1217", json.get("key").asText());
      assertEquals(dir.resolve("rawdata/run1217").toString(), json.get("directory").asText());
      assertEquals(RUN_ID, json.get("run_id").asText());
      assertEquals("https://app.globus.org/runs/" + RUN_ID, json.get("run_url").asText());
      assertEquals(1, json.get("count").asInt());
      String text = json.get("text").asText();
      assertTrue(text.contains("run1217 is FAILED"), text);
      assertTrue(text.contains(dir.resolve("rawdata/run1217").toString()), text);
      assertTrue(text.contains("https://app.globus.org/runs/" + RUN_ID), text);
      assertTrue(text.contains("fit exited 1"), text);
      assertTrue(http.contentTypes.take().startsWith("application/json"));
    }
  }

  @Test
  void anInvalidDocumentSaysWhatIsWrongAndHowToRetry() throws Exception {
    try (Receivers.Http http = new Receivers.Http()) {
      start(webhook(http.url(), Duration.ZERO), Map.of());

      notifier.applied(row("run0002", RunState.INVALID, null, "the input document breaks the flow's schema:"
          + " #/number: 0 is less than the minimum 1"), "input document invalid; fix the directory, then it is looked"
          + " at again when the directory changes, or run 'flowwatch retry run0002'");

      JsonNode json = JSON.readTree(http.next(WAIT));
      String message = json.get("message").asText();
      assertTrue(message.contains("#/number: 0 is less than the minimum 1"), message);
      assertTrue(message.contains("flowwatch retry run0002"), message);
      assertTrue(json.get("run_id").isNull(), json.toString());
      assertFalse(json.get("text").asText().contains("Run: "), "a run line without a run");
    }
  }

  @Test
  void twoHundredFailuresInAMinuteAreOneMessage() throws Exception {
    try (Receivers.Http http = new Receivers.Http()) {
      start(webhook(http.url(), Duration.ofSeconds(2)), Map.of());

      for (int i = 0; i < 200; i++) {
        notifier.applied(row(String.format("run%04d", i), RunState.FAILED, RUN_ID, "fit exited 1"), null);
      }

      String body = http.next(WAIT);
      assertNotNull(body, "nothing was posted");
      JsonNode json = JSON.readTree(body);
      assertEquals(200, json.get("count").asInt());
      assertEquals(200, json.get("events").size());
      assertEquals("flowwatch: 200 events (FAILED 200)", json.get("subject").asText());
      String text = json.get("text").asText();
      assertTrue(text.contains("- run0000 FAILED"), text);
      assertTrue(text.contains("... and 150 more"), text);
      assertNull(http.next(Duration.ofSeconds(3)), "a second message was sent for the same burst");
    }
  }

  @Test
  void onlyTheListedEventsAreSentAndAStateIsToldOnce() throws Exception {
    try (Receivers.Http http = new Receivers.Http()) {
      start(new NotifyConfig(Set.of("FAILED"), Duration.ofMinutes(30), Duration.ZERO, http.url(), null, null),
          Map.of());

      notifier.applied(row("run0001", RunState.SUCCEEDED, RUN_ID, null), "FlowSucceeded");
      notifier.applied(row("run0002", RunState.INVALID, null, "the input document breaks the schema"), null);
      notifier.applied(row("run0003", RunState.FAILED, RUN_ID, "fit exited 1"), null);
      notifier.applied(row("run0003", RunState.FAILED, RUN_ID, "fit exited 1"), null);

      JsonNode json = JSON.readTree(http.next(WAIT));
      assertEquals("run0003", json.get("key").asText());
      assertNull(http.next(Duration.ofSeconds(1)), "an unlisted event or a repeated state was sent");
    }
  }

  @Test
  void aHeldDirectoryIsToldOnlyOnceItWasHeldLongEnough() throws Exception {
    try (Receivers.Http http = new Receivers.Http()) {
      start(new NotifyConfig(NotifyConfig.DEFAULT_ON, Duration.ofSeconds(2), Duration.ZERO, http.url(), null, null),
          Map.of());
      Instant now = Instant.now();
      RunRecord held = new RunRecord("run0001", RunState.HELD, 0, null, null,
          "Compute endpoint frib-fit-mpi is offline; run 'flowwatch endpoints status'", null, now, now, null);
      RunRecord brief = new RunRecord("run0002", RunState.HELD, 0, null, null, "endpoint offline", null, now, now,
          null);

      notifier.applied(held, null);
      notifier.applied(brief, null);
      notifier.applied(row("run0002", RunState.READY, null, null), "Compute endpoints are online again");
      assertNull(http.next(Duration.ofMillis(1500)), "HELD was told before held_after");

      JsonNode json = JSON.readTree(http.next(WAIT));
      assertEquals("HELD", json.get("event").asText());
      assertEquals("run0001", json.get("key").asText());
      assertTrue(json.get("message").asText().contains("frib-fit-mpi is offline"), json.toString());
      assertNull(http.next(Duration.ofSeconds(1)), "a directory released before held_after was told about");
    }
  }

  @Test
  void startsPausedOnConsentIsToldOnceAnHour() throws Exception {
    try (Receivers.Http http = new Receivers.Http()) {
      start(webhook(http.url(), Duration.ZERO), Map.of());
      String why = "missing consent; run: flowwatch login --scope 'https://auth.globus.org/scopes/x/flow_x_user'";

      notifier.startsPaused(why, Instant.parse("2026-01-02T04:00:00Z"), true);
      notifier.startsPaused(why, Instant.parse("2026-01-02T04:05:00Z"), true);

      JsonNode json = JSON.readTree(http.next(WAIT));
      assertEquals("CREDENTIALS", json.get("event").asText());
      assertTrue(json.get("message").asText().contains("flowwatch login --scope"), json.toString());
      assertTrue(json.get("text").asText().contains("starts paused"), json.toString());
      assertNull(http.next(Duration.ofSeconds(1)), "the same pause was told twice");
    }
  }

  @Test
  void aReloadedSectionTakesEffectForTheNextMessage() throws Exception {
    try (Receivers.Http before = new Receivers.Http(); Receivers.Http after = new Receivers.Http()) {
      start(webhook(before.url(), Duration.ZERO), Map.of());
      notifier.applied(row("run0001", RunState.FAILED, RUN_ID, "fit exited 1"), null);
      assertNotNull(before.next(WAIT));

      notifier.reconfigure(webhook(after.url(), Duration.ZERO));
      notifier.applied(row("run0002", RunState.FAILED, RUN_ID, "fit exited 1"), null);

      assertEquals("run0002", JSON.readTree(after.next(WAIT)).get("key").asText());
      assertNull(before.next(Duration.ofMillis(500)));
    }
  }

  @Test
  void aCommandGetsTheEventInItsEnvironmentButNotTheAgentsSecrets() throws Exception {
    Path out = dir.resolve("env.txt");
    Path script = dir.resolve("page.sh");
    Files.writeString(script, "#!/bin/sh\nenv > \"$1.tmp\" && mv \"$1.tmp\" \"$1\"\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
    NotifyConfig config = new NotifyConfig(NotifyConfig.DEFAULT_ON, Duration.ofMinutes(30), Duration.ZERO, null,
        null, new NotifyConfig.Command(List.of(script.toString(), out.toString()), Duration.ofSeconds(10)));
    start(config, Map.of("PATH", System.getenv("PATH"), "SITE", "frib", "GLOBUS_CLIENT_ID", "c",
        "GLOBUS_CLIENT_SECRET", "s3cret", "FLOWWATCH_SMTP_PASSWORD", "pw"));

    notifier.applied(row("run1217", RunState.INACTIVE, RUN_ID,
        "ConsentRequired; grant consent with: flowwatch login --scope 'x', then resume the run"), null);

    Map<String, String> env = readEnv(out);
    assertEquals("INACTIVE", env.get("FLOWWATCH_EVENT"));
    assertEquals("run1217", env.get("FLOWWATCH_KEY"));
    assertEquals("INACTIVE", env.get("FLOWWATCH_STATE"));
    assertEquals(RUN_ID, env.get("FLOWWATCH_RUN_ID"));
    assertEquals("https://app.globus.org/runs/" + RUN_ID, env.get("FLOWWATCH_RUN_URL"));
    assertTrue(env.get("FLOWWATCH_MESSAGE").contains("flowwatch login --scope"), env.toString());
    assertEquals("1", env.get("FLOWWATCH_COUNT"));
    assertEquals(dir.resolve("rawdata/run1217").toString(), env.get("FLOWWATCH_DIRECTORY"));
    assertEquals("frib", env.get("SITE"), "the agent's environment is the program's");
    assertFalse(env.containsKey("GLOBUS_CLIENT_SECRET"), env.toString());
    assertFalse(env.containsKey("FLOWWATCH_SMTP_PASSWORD"), env.toString());
  }

  @Test
  void aCommandThatFailsIsRetriedAndLoggedWithItsOutput() throws Exception {
    Path count = dir.resolve("count");
    Path script = dir.resolve("fail.sh");
    Files.writeString(script, "#!/bin/sh\necho x >> '" + count + "'\necho 'pager service down' >&2\nexit 3\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
    NotifyConfig config = new NotifyConfig(NotifyConfig.DEFAULT_ON, Duration.ofMinutes(30), Duration.ZERO, null,
        null, new NotifyConfig.Command(List.of(script.toString()), Duration.ofSeconds(10)));
    try (LogCapture logs = new LogCapture("flowwatch.notify")) {
      start(config, Map.of("PATH", System.getenv("PATH")));

      notifier.applied(row("run1217", RunState.FAILED, RUN_ID, "fit exited 1"), null);

      waitFor(() -> logs.all().contains("gave up after 3 attempts"), logs::all);
      assertEquals(3, Files.readAllLines(count).size());
      assertTrue(logs.all().contains("WARN could not notify by command " + script), logs.all());
      assertTrue(logs.all().contains("exited 3: pager service down"), logs.all());
    }
  }

  @Test
  void aReceiverThatHangsNeverSlowsTheCaller() throws Exception {
    try (Receivers.BlackHole hole = new Receivers.BlackHole()) {
      start(webhook(URI.create("http://127.0.0.1:" + hole.port() + "/hook"), Duration.ZERO), Map.of());

      long t0 = System.nanoTime();
      for (int i = 0; i < 20_000; i++) {
        notifier.applied(row(String.format("run%05d", i), RunState.FAILED, RUN_ID, "fit exited 1"), null);
        if (i == 0) {
          waitFor(() -> hole.connections() > 0, () -> "no connection to the receiver");
        }
      }
      long millis = Duration.ofNanos(System.nanoTime() - t0).toMillis();

      // 20,000 events, twice the queue's bound, while the only delivery hangs: each call only queues (or
      // counts) its event, so all of them take a small fraction of one delivery's timeout.
      assertTrue(millis < 3000, "reporting 20,000 events took " + millis + " ms");
    }
  }

  @Test
  void anUnreachableReceiverIsRetriedWithWarningsAndTheNextMessageStillGoesOut() throws Exception {
    int closed = Receivers.closedPort();
    try (LogCapture logs = new LogCapture("flowwatch.notify")) {
      start(webhook(URI.create("http://127.0.0.1:" + closed + "/services/T000/secret-part"), Duration.ZERO),
          Map.of());

      notifier.applied(row("run0001", RunState.FAILED, RUN_ID, "fit exited 1"), null);

      waitFor(() -> logs.all().contains("gave up after 3 attempts"), logs::all);
      assertTrue(logs.all().contains("WARN could not notify by webhook http://127.0.0.1:" + closed
          + " (flowwatch: run0001 FAILED)"), logs.all());
      assertTrue(logs.all().contains("attempt 1 of 3, next in"), logs.all());
      assertFalse(logs.all().contains("secret-part"), "the webhook's path was logged: " + logs.all());
    }
  }

  private static Map<String, String> readEnv(Path file) throws Exception {
    waitFor(() -> Files.exists(file), () -> "the command did not run");
    Map<String, String> env = new HashMap<>();
    String last = null;
    for (String line : Files.readAllLines(file)) {
      int eq = line.indexOf('=');
      if (eq > 0 && line.substring(0, eq).matches("[A-Z_][A-Z0-9_]*")) {
        last = line.substring(0, eq);
        env.put(last, line.substring(eq + 1));
      } else if (last != null) {
        env.put(last, env.get(last) + "\n" + line); // a value with line breaks (FLOWWATCH_TEXT)
      }
    }
    return env;
  }

  static void waitFor(java.util.function.BooleanSupplier condition, java.util.function.Supplier<String> what)
      throws InterruptedException {
    long until = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > until) {
        throw new AssertionError("timed out waiting; " + what.get());
      }
      Thread.sleep(20);
    }
  }
}
