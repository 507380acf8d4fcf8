package org.flowwatch.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.flowwatch.globus.MutableClock;
import org.flowwatch.ledger.RunState;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The exposition, the shipped dashboard that reads it, and the readiness answers, without an agent. */
class MetricsTextTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-03T08:00:00Z"));

  @Test
  void theDashboardUsesOnlyMetricsTheAgentExposes() throws IOException {
    String text = PrometheusText.render(new AgentMetrics(clock).snapshot(), Map.of());
    Set<String> exposed = new TreeSet<>();
    Matcher m = Pattern.compile("(?m)^# TYPE (\\S+) (\\S+)$").matcher(text);
    while (m.find()) {
      exposed.add(m.group(1));
      if (m.group(2).equals("histogram")) {
        exposed.add(m.group(1) + "_bucket");
      }
    }
    JsonNode dash = new ObjectMapper().readTree(Path.of("src/dist/grafana-flowwatch.json").toFile());
    Set<String> used = new TreeSet<>();
    for (JsonNode panel : dash.path("panels")) {
      for (JsonNode target : panel.path("targets")) {
        Matcher names = Pattern.compile("flowwatch_[a-z_]+").matcher(target.path("expr").asText());
        while (names.find()) {
          used.add(names.group());
        }
      }
    }

    assertFalse(used.isEmpty());
    used.removeAll(exposed);
    assertEquals(Set.of(), used, "the dashboard queries metrics /metrics does not have");
  }

  @Test
  void failuresAndAPauseAreExposedAndPassPromtool() throws Exception {
    AgentMetrics metrics = new AgentMetrics(clock);
    metrics.loopStarted(Duration.ofSeconds(10));
    metrics.scanned(Duration.ofMillis(3));
    metrics.startOutcome("not_started");
    metrics.startFailed("rate_limited", "slow down", false);
    metrics.paused(clock.instant().plusSeconds(30), "slow down");

    String text = PrometheusText.render(metrics.snapshot(), Map.of(RunState.READY, 3, RunState.HELD, 2));

    assertTrue(text.contains("flowwatch_start_failures_total{class=\"rate_limited\"} 1\n"), text);
    assertTrue(text.contains("flowwatch_backlog 5\n"), text);
    assertTrue(text.contains("flowwatch_starts_paused_until_timestamp_seconds 1796284830\n"), text);
    assertTrue(text.contains("flowwatch_scan_duration_seconds_bucket{le=\"0.005\"} 1\n"), text);
    assertTrue(text.contains("flowwatch_scan_duration_seconds_sum 0.003\n"), text);
    assertTrue(text.contains("flowwatch_ready 0\n"), text);
    promtoolAccepts(text);
  }

  @Test
  void labelValuesAreEscapedAsTheFormatRequires() {
    assertEquals("a\\\\b\\\"c\\nd", PrometheusText.escape("a\\b\"c\nd"));
  }

  @Test
  void aCredentialFailureMakesTheAgentUnreadyUntilAStartSucceeds() {
    AgentMetrics metrics = new AgentMetrics(clock);
    metrics.loopStarted(Duration.ofSeconds(10));
    assertTrue(Health.ready(metrics.snapshot()).ok());

    metrics.startFailed("consent_required", "consent needed for the flow's scope", true);
    Health.Verdict refused = Health.ready(metrics.snapshot());
    metrics.credentialsWorked();

    assertEquals(503, refused.status());
    assertEquals("the last start failed on credentials or consent (consent_required: consent needed for the"
        + " flow's scope)", refused.text());
    assertTrue(Health.ready(metrics.snapshot()).ok());
  }

  @Test
  void aPauseEndsByItselfWhenItsTimeHasCome() {
    AgentMetrics metrics = new AgentMetrics(clock);
    metrics.loopStarted(Duration.ofSeconds(10));
    metrics.paused(clock.instant().plusSeconds(30), "slow down");
    assertEquals("starts are paused until 2026-12-03T08:00:30Z: slow down", Health.ready(metrics.snapshot()).text());

    clock.advance(Duration.ofSeconds(31));

    assertTrue(Health.ready(metrics.snapshot()).ok());
  }

  @Test
  void healthAllowsThreeScanIntervalsAndAtLeastAMinute() {
    AgentMetrics metrics = new AgentMetrics(clock);
    metrics.loopStarted(Duration.ofSeconds(30));
    metrics.scanned(Duration.ofMillis(1));

    clock.advance(Duration.ofSeconds(90));
    assertTrue(Health.live(metrics.snapshot()).ok(), "90s is three intervals of 30s");
    clock.advance(Duration.ofSeconds(1));
    assertFalse(Health.live(metrics.snapshot()).ok());
    assertEquals(Duration.ofSeconds(60), Health.staleAfter(Duration.ofMillis(100)));
  }

  static void promtoolAccepts(String exposition) throws IOException, InterruptedException {
    Path promtool = Path.of("/usr/bin/promtool");
    Assumptions.assumeTrue(Files.isExecutable(promtool), "promtool is not installed (Debian package"
        + " prometheus, installed by dev/install-test-deps.sh); skipping the exposition-format check");
    Process p = new ProcessBuilder(promtool.toString(), "check", "metrics").redirectErrorStream(true).start();
    try (var in = p.getOutputStream()) {
      in.write(exposition.getBytes(StandardCharsets.UTF_8));
    }
    String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), "promtool check metrics refused the exposition: " + said);
    assertEquals("", said.strip(), "promtool check metrics found problems");
  }
}
