package org.flowwatch.cli;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --watchdir DIR --dry-run} from the packaged jar: one line per run directory saying what the agent
 * would do, a summary on stderr, exit 4 when a document is invalid, and no network call or ledger at all.
 * The assertions hold to what a user acts on (the key, the ledger state, INVALID with its JSON pointer, the
 * counts, the exit code), not to the wording around them.
 */
class WatchDryRunJarIT {
  /** Stands in for every Globus service: any request at all is a failure of the dry run. */
  @RegisterExtension
  static WireMockExtension globus = WireMockExtension.newInstance()
      .options(wireMockConfig().dynamicPort()).failOnUnmatchedRequests(true).build();

  @TempDir Path dir;
  private Path watch;
  private Path state;

  @BeforeEach
  void setUp() throws IOException {
    globus.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(500)
        .withBody("{\"code\": \"DryRunCalledGlobus\", \"description\": \"a dry run must make no request\"}")));
    watch = Files.createDirectories(dir.resolve("watch"));
    state = dir.resolve("state");
    // The schema wants at least one segment, so a run directory without .evt files breaks it.
    Files.writeString(dir.resolve("schema.json"), """
        {"type": "object", "required": ["source", "segments"],
         "properties": {"segments": {"type": "integer", "minimum": 1}}}
        """);
    Files.writeString(dir.resolve("flowwatch.yaml"), """
        collections:
          dtn: {id: 9656eff2-8105-445c-8501-154dfe1d88e5, local_root: %s, globus_root: /data}
        flow:
          id: babd88e5-d31d-48c7-b3a0-b765389b5c22
          schema: schema.json
          label: "{run.name}"
        run_directory:
          pattern: 'run(?<number>\\d+)'
          counts:
            segments: "*.evt"
        input:
          source: {id: "{run.collection_id}", path: "{run.globus_path}"}
          segments: "{run.segments}"
        """.formatted(watch));
    segments("run0001", 2);
    Files.writeString(Files.createDirectories(watch.resolve("run0002")).resolve("notes.txt"), "no data yet");
    segments("calibration", 1); // does not match the pattern: not a run directory
  }

  private void segments(String runDir, int count) throws IOException {
    Path run = Files.createDirectories(watch.resolve(runDir));
    for (int i = 0; i < count; i++) {
      Files.writeString(run.resolve(String.format("%s-%02d.evt", runDir, i)), "segment " + i);
    }
  }

  private JarRunner.Result dryRun() throws Exception {
    return new JarRunner(dir)
        .env("GLOBUS_SDK_SERVICE_URL_AUTH", globus.baseUrl())
        .env("GLOBUS_SDK_SERVICE_URL_FLOWS", globus.baseUrl())
        .env("GLOBUS_SDK_SERVICE_URL_TRANSFER", globus.baseUrl())
        .env("GLOBUS_SDK_SERVICE_URL_COMPUTE", globus.baseUrl())
        // Credentials present, so a call the dry run should not make would get as far as the stub.
        .env("GLOBUS_CLIENT_ID", "c0ffee00-1111-4222-8333-444455556666")
        .env("GLOBUS_CLIENT_SECRET", "not-a-real-secret")
        .run("--config", dir.resolve("flowwatch.yaml").toString(), "--watchdir", watch.toString(),
            "--state-dir", state.toString(), "--dry-run")
        .assertNoStackTrace();
  }

  /** The stdout line about run directory {@code key}: the key comes first. */
  private static String lineFor(JarRunner.Result r, String key) {
    List<String> lines = r.out().lines().filter(l -> l.matches(Pattern.quote(key) + "\\s.*")).toList();
    assertEquals(1, lines.size(), () -> "expected one line for " + key + " in:\n" + r.out() + "\n" + r.err());
    return lines.get(0);
  }

  /** The counts (run directories, invalid documents) in the stderr line that names the watch directory. */
  private List<String> summaryCounts(JarRunner.Result r) {
    List<String> summaries = r.err().lines().filter(l -> l.contains(watch.toString())).toList();
    assertEquals(1, summaries.size(), () -> "expected one summary naming " + watch + " on stderr:\n" + r.err());
    return Pattern.compile("\\b\\d+\\b").matcher(summaries.get(0).replace(watch.toString(), "")).results()
        .map(m -> m.group()).toList();
  }

  private void assertNoRequestAndNoState() throws IOException {
    assertEquals(List.of(), globus.getAllServeEvents().stream()
        .map(e -> e.getRequest().getMethod() + " " + e.getRequest().getUrl()).toList(),
        "the dry run called a Globus service");
    assertFalse(Files.exists(state.resolve("ledger.db")), "the dry run created a ledger");
    if (Files.exists(state)) {
      try (Stream<Path> left = Files.walk(state)) {
        assertEquals(List.of(state), left.toList(), "the dry run wrote into the state directory");
      }
    }
  }

  @Test
  void anInvalidDocumentIsReportedPerDirectoryAndExitsFour() throws Exception {
    JarRunner.Result r = dryRun();

    assertEquals(4, r.code(), r.err());
    String valid = lineFor(r, "run0001");
    String invalid = lineFor(r, "run0002");
    assertTrue(valid.matches(".*\\bnew\\b.*"), valid);
    assertFalse(valid.contains("INVALID"), valid);
    assertTrue(invalid.matches(".*\\bnew\\b.*"), invalid);
    assertTrue(invalid.contains("INVALID"), invalid);
    assertTrue(invalid.contains("/segments"), "the line should name what breaks the schema: " + invalid);
    assertFalse(r.out().contains("calibration"), "a directory not matching the pattern was listed:\n" + r.out());
    assertEquals(List.of("2", "1"), summaryCounts(r));
    assertNoRequestAndNoState();
  }

  @Test
  void whenEveryDocumentIsValidItExitsZero() throws Exception {
    segments("run0002", 1);

    JarRunner.Result r = dryRun();

    assertEquals(0, r.code(), r.err());
    for (String key : List.of("run0001", "run0002")) {
      String line = lineFor(r, key);
      assertTrue(line.matches(".*\\bnew\\b.*"), line);
      assertFalse(line.contains("INVALID"), line);
    }
    assertEquals(List.of("2", "0"), summaryCounts(r));
    assertNoRequestAndNoState();
  }
}
