package org.flowwatch.cli;

import static org.flowwatch.cli.AgentHarness.ONE_FILE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.flowwatch.testing.FakeFlows;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 8, items 5 and 6: every start goes through the ledger. A hand start ({@code --rundir}) is recorded
 * like an agent start and judges readiness; successive {@code --once} passes see a directory settle.
 * The packaged jar, real rsync as the writer, the stateful fake Flows service.
 */
class StartPathsJarIT {
  static final FakeFlows fake = new FakeFlows();

  @RegisterExtension static WireMockExtension globus = FakeFlows.extension(fake);

  @TempDir Path tmp;
  private AgentHarness h;

  @BeforeEach
  void setUp() throws Exception {
    fake.reset();
    fake.install(globus);
    h = new AgentHarness(tmp, globus.baseUrl());
  }

  @AfterEach
  void tearDown() throws InterruptedException {
    h.close();
  }

  @Test
  void aHandStartIsRecordedSoAgentPassesDoNotStartItAgain() throws Exception {
    fake.status("ACTIVE");
    h.config(ONE_FILE);
    h.rsync(h.source("run0001", 2, 16));

    JarRunner.Result hand = h.runDir("run0001").assertNoStackTrace();

    assertEquals(0, hand.code(), hand.err());
    assertEquals(1, fake.startRequests(), hand.err());
    String runId = fake.runs().get(0).id();
    assertEquals(runId + "\nhttps://app.globus.org/runs/" + runId + "\n", hand.out());
    for (int pass = 1; pass <= 2; pass++) {
      JarRunner.Result once = h.once("--status-poll=PT0S").assertNoStackTrace();
      assertEquals(0, once.code(), "agent pass " + pass + ": " + once.err());
    }
    assertEquals(1, fake.startRequests(), "an agent pass started the hand-started directory again");
    JsonNode row = h.detail("run0001");
    assertEquals("ACTIVE", row.path("state").asText(), row.toPrettyString());
    assertEquals(runId, row.path("run_id").asText(), row.toPrettyString());
    assertTrue(AgentHarness.reasonsIn(row).stream().anyMatch(r -> r.contains("by hand")),
        "no history entry says the run was started by hand: " + row.toPrettyString());
    String token = row.path("token").asText("");
    assertFalse(token.isEmpty(), "a hand start keeps its trigger token: " + row.toPrettyString());
    assertTrue(fake.runs().get(0).label().contains(token),
        "the run's label " + fake.runs().get(0).label() + " does not carry the trigger token " + token);
  }

  @Test
  void aHandStartWhileTheAgentWaitsForTheDirectoryToSettleIsNotStartedAgainByIt() throws Exception {
    fake.status("ACTIVE");
    // Long enough that the hand start's JVM (slow on a loaded 2-core machine) comes before the agent's.
    h.config("readiness: [settle]\ntrigger_delay: 8s\nscan_interval: 200ms");
    Process agent = h.startAgent();
    h.rsync(h.source("run0007", 1, 16));
    h.await(agent, "the agent to be settling run0007", Duration.ofSeconds(30),
        () -> h.row("run0007").map(r -> r.path("state").asText().equals("SETTLING")).orElse(false));

    JarRunner.Result hand = h.runDir("run0007", "--force").assertNoStackTrace();

    assertEquals(0, hand.code(), hand.err());
    // Past the trigger delay the agent would find the tree settled; it must see the hand start instead.
    long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (System.nanoTime() < end && fake.startRequests() == 1) {
      Thread.sleep(100);
    }
    assertEquals(1, fake.startRequests(), "the agent started run0007 again:\n" + h.log());
    assertTrue(agent.isAlive(), h.log());
    assertEquals("ACTIVE", h.row("run0007").orElseThrow().path("state").asText(), h.log());
  }

  @Test
  void aSecondHandStartIsRefusedUnlessAgainWhichStartsANewAttempt() throws Exception {
    fake.status("ACTIVE");
    h.config(ONE_FILE);
    h.rsync(h.source("run0002", 1, 16));
    JarRunner.Result first = h.runDir("run0002").assertNoStackTrace();
    assertEquals(0, first.code(), first.err());
    String firstToken = h.row("run0002").map(r -> r.path("token").asText("")).orElse("");

    JarRunner.Result refused = h.runDir("run0002").assertNoStackTrace();

    assertEquals(10, refused.code(), refused.err());
    assertTrue(refused.err().contains("--again"), refused.err());
    assertTrue(refused.err().contains("ACTIVE"), "the refusal should name the ledger state: " + refused.err());
    assertEquals(1, fake.startRequests());

    JarRunner.Result again = h.runDir("run0002", "--again").assertNoStackTrace();

    assertEquals(0, again.code(), again.err());
    assertEquals(2, fake.startRequests());
    String secondId = fake.runs().get(1).id();
    assertEquals(secondId + "\nhttps://app.globus.org/runs/" + secondId + "\n", again.out());
    JsonNode row = h.detail("run0002");
    assertEquals("ACTIVE", row.path("state").asText(), row.toPrettyString());
    assertEquals(secondId, row.path("run_id").asText(), row.toPrettyString());
    assertNotEquals(firstToken, row.path("token").asText(""), "--again is a new attempt with a new token");
  }

  @Test
  void aHandStartWaitsForTheSentinelUnlessForced() throws Exception {
    h.config("readiness: [sentinel]\nsentinel: .transfer_complete\nscan_interval: 200ms");
    h.rsync(h.source("run0003", 2, 16));

    JarRunner.Result early = h.runDir("run0003").assertNoStackTrace();

    assertEquals(11, early.code(), early.err());
    assertTrue(early.err().contains(".transfer_complete"), "the refusal should name the sentinel: " + early.err());
    assertEquals(0, fake.startRequests(), "started a directory whose sentinel is missing");

    JarRunner.Result forced = h.runDir("run0003", "--force").assertNoStackTrace();

    assertEquals(0, forced.code(), forced.err());
    assertEquals(1, fake.startRequests());
  }

  @Test
  void aHandStartRefusesADirectoryRsyncIsStillWritingUnlessForced() throws Exception {
    h.config(ONE_FILE);
    Path src = Files.createDirectories(h.dir.resolve("src/run0004"));
    byte[] big = new byte[4 * 1024 * 1024];
    new Random(11).nextBytes(big);
    Files.writeString(src.resolve("run-0004-00.evt"), "the small first segment");
    Files.write(src.resolve("run-0004-01.evt"), big);
    Process copy = h.rsyncSlowly(src, 128); // about 30 s for the big segment
    Path runDir = h.watch.resolve("run0004");
    // The manifest (one file) is met by the first segment; only the rsync temporary file says "not done".
    h.await("rsync to be writing the second segment", Duration.ofSeconds(30),
        () -> Files.exists(runDir.resolve("run-0004-00.evt")) && !AgentHarness.rsyncTemporaries(runDir).isEmpty());

    JarRunner.Result early = h.runDir("run0004").assertNoStackTrace();
    List<Path> temporaries = AgentHarness.rsyncTemporaries(runDir);

    assertTrue(copy.isAlive() && !temporaries.isEmpty(), "rsync finished during the check; it proves nothing");
    assertEquals(11, early.code(), early.err());
    assertTrue(early.err().contains("rsync temporary file"), early.err());
    assertEquals(0, fake.startRequests(), "started a directory rsync is still writing");

    JarRunner.Result forced = h.runDir("run0004", "--force").assertNoStackTrace();

    assertEquals(0, forced.code(), forced.err());
    assertEquals(1, fake.startRequests());
    copy.destroy();
  }

  @Test
  void aHandStartWithSettleWaitsTheTriggerDelayAndSaysSo() throws Exception {
    // Long enough that the hand start's JVM (slow on a loaded 2-core machine) comes before the agent's.
    h.config("readiness: [settle]\ntrigger_delay: 8s\nscan_interval: 200ms");
    h.rsync(h.source("run0005", 2, 16));

    long before = System.nanoTime();
    JarRunner.Result r = h.runDir("run0005").assertNoStackTrace();
    Duration took = Duration.ofNanos(System.nanoTime() - before);

    assertEquals(0, r.code(), r.err());
    assertEquals(1, fake.startRequests());
    assertTrue(took.compareTo(Duration.ofSeconds(3)) >= 0,
        "started after " + took.toMillis() + " ms, before two snapshots 3 s apart could agree");
    assertTrue(r.err().toLowerCase().contains("wait"), "stderr should say it is waiting: " + r.err());
  }

  @Test
  void fourOncePassesStartASettledDirectoryExactlyOnce() throws Exception {
    h.config("readiness: [settle]\ntrigger_delay: 1s\nscan_interval: 200ms");
    h.rsync(h.source("run0006", 3, 64));
    List<String> passes = new ArrayList<>();

    for (int pass = 1; pass <= 4; pass++) {
      long began = System.nanoTime();
      JarRunner.Result once = h.once().assertNoStackTrace();
      passes.add("pass " + pass + " (exit " + once.code() + "):\n" + once.err());
      assertEquals(0, once.code(), String.join("\n", passes));
      if (pass == 1) {
        assertEquals(0, fake.startRequests(), "the first pass has one snapshot only; it cannot know the tree is"
            + " settled:\n" + String.join("\n", passes));
      }
      long spacing = Duration.ofMillis(1200).toNanos() - (System.nanoTime() - began);
      if (spacing > 0) {
        Thread.sleep(spacing / 1_000_000);
      }
    }

    assertEquals(1, fake.startRequests(), String.join("\n", passes));
    String state = h.row("run0006").map(r -> r.path("state").asText()).orElse("(no row)");
    assertTrue(Set.of("ACTIVE", "SUCCEEDED").contains(state), "run0006 is " + state);
  }
}
