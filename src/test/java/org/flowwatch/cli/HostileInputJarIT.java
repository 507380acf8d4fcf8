package org.flowwatch.cli;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.flowwatch.ledger.Ledger;
import org.flowwatch.ledger.RunState;
import org.flowwatch.ledger.Transition;
import org.flowwatch.testing.ConfigFiles;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hostile input, tried as a new user would, against the packaged jar: every case must end in its
 * documented exit code with one clear line naming the problem, no stack trace and no Java class name or
 * parser internals; where it applies, no run was started and the ledger holds exactly what it held.
 */
class HostileInputJarIT {
  private static final Path REPO = Path.of("").toAbsolutePath();
  private static final String FLOW = "babd88e5-d31d-48c7-b3a0-b765389b5c22";
  private static final String NATIVE_CLIENT = "0d7c1d37-9e11-4c3a-8a27-5b1f2f3a4b5c";
  /** What no message may show: Java class names, JVM internals, parser internals. */
  private static final Pattern INTERNALS = Pattern.compile(
      "\\b[A-Z]\\w*(Exception|Error)\\b|\\bjava\\.[a-z]|\\bcom\\.fasterxml|\\borg\\.(yaml|everit|sqlite|flowwatch)\\."
          + "|StreamReadConstraints|Source: REDACTED|in 'reader'|\\bsnakeyaml\\b|^\\s+\\^|\\bat \\w+\\.\\w+\\(");

  @RegisterExtension
  static WireMockExtension globus = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

  @TempDir Path dir;
  private final List<Path> mounts = new ArrayList<>();

  /** One case's work directory: a copy of the FRIB config with its files, a DTN, a seeded ledger. */
  final class Site {
    final Path dir = HostileInputJarIT.this.dir;
    final Path dtn = dir.resolve("sci-dtn");
    final Path rawdata = dtn.resolve("e21062_2/rawdata");
    final Path run1217 = rawdata.resolve("run1217");
    final Path config = dir.resolve("flowwatch.yaml");
    Path stateDir = dir.resolve("state");
    final JarRunner jar = new JarRunner(dir).env("FRIB_DTN_ROOT", dtn.toString())
        .env("GLOBUS_SDK_SERVICE_URL_AUTH", globus.baseUrl())
        .env("GLOBUS_SDK_SERVICE_URL_FLOWS", globus.baseUrl())
        .env("GLOBUS_SDK_SERVICE_URL_TRANSFER", globus.baseUrl())
        .env("GLOBUS_SDK_SERVICE_URL_COMPUTE", globus.baseUrl());

    Site() throws IOException {
      Files.createDirectories(run1217);
      for (String seg : new String[] {"00", "01", "02"}) {
        Files.writeString(run1217.resolve("run-1217-" + seg + ".evt"), "segment " + seg);
      }
      Files.createDirectories(rawdata.resolve("run1216"));
      ConfigFiles.copyReferencedFiles(dir);
      Files.copy(REPO.resolve("flowwatch.yaml"), config);
    }

    /** Replaces text in the config; the case is wrong, not the code, when the text is not there. */
    Site edit(String from, String to) throws IOException {
      String yaml = Files.readString(config);
      if (!yaml.contains(from)) {
        throw new IllegalStateException("test setup: config has no '" + from + "'");
      }
      Files.writeString(config, yaml.replace(from, to));
      return this;
    }

    Site append(String text) throws IOException {
      Files.writeString(config, Files.readString(config) + text);
      return this;
    }

    Path write(String relative, String content) throws IOException {
      Path file = dir.resolve(relative);
      Files.createDirectories(file.getParent());
      return Files.writeString(file, content);
    }

    Site credentials() {
      jar.env("GLOBUS_CLIENT_ID", "c0ffee00-1111-4222-8333-444455556666")
          .env("GLOBUS_CLIENT_SECRET", "not-a-real-secret-value");
      return this;
    }

    Site tokens() throws IOException {
      credentials();
      globus.stubFor(post("/v2/oauth2/token").withRequestBody(containing("flow_babd88e5"))
          .willReturn(json(200, resource("jarit/token-frib-flow.json"))));
      globus.stubFor(post("/v2/oauth2/token").withRequestBody(containing("run_status"))
          .willReturn(json(200, resource("jarit/token-flows-service.json"))));
      return this;
    }

    String[] dryRun(String... more) {
      return args(List.of("--config", config.toString(), "--state-dir", stateDir.toString(), "--dry-run",
          "--rundir", run1217.toString()), more);
    }

    String[] start(String... more) {
      return args(List.of("--config", config.toString(), "--state-dir", stateDir.toString(),
          "--rundir", run1217.toString(), "--trigger-delay", "0"), more);
    }

    String[] start(Path runDir, String... more) {
      return args(List.of("--config", config.toString(), "--state-dir", stateDir.toString(),
          "--rundir", runDir.toString(), "--trigger-delay", "0"), more);
    }

    String[] once(String... more) {
      return args(List.of("--config", config.toString(), "--state-dir", stateDir.toString(),
          "--watchdir", rawdata.toString(), "--once"), more);
    }

    /** Mounts a tmpfs of {@code size} at {@code at}, read-only when asked; unmounted after the case. */
    Path tmpfs(Path at, String size, boolean readOnly) throws Exception {
      Files.createDirectories(at);
      sh("mount", "-t", "tmpfs", "-o", "size=" + size + ",mode=0700", "tmpfs", at.toString());
      mounts.add(at);
      if (readOnly) {
        sh("mount", "-o", "remount,ro", at.toString());
      }
      return at;
    }

    /** A ledger that already knows run1216 as started, so a case can show nothing in it changed. */
    void seedLedger() {
      try (Ledger ledger = Ledger.open(stateDir.resolve("ledger.db"), rawdata, Clock.systemUTC())) {
        ledger.apply(Transition.of("run1216", RunState.SEEN).reason("found by scan"));
        ledger.apply(Transition.of("run1216", RunState.READY).reason("settled"));
        ledger.apply(Transition.of("run1216", RunState.STARTING).startWith("fw-0a1b2c3d"));
        ledger.apply(Transition.of("run1216", RunState.ACTIVE).runId("5d3a1c2e-7f00-4a11-9b3e-1216aa000001"));
      }
    }
  }

  interface Setup {
    String[] apply(Site site) throws Exception;
  }

  /**
   * One hostile case.
   *
   * @param startFaults true when the fault is in the start itself: the start request is sent, and the ledger
   *     records the attempt; otherwise no start may be sent and the ledger must not change
   */
  record Case(String area, String name, int code, String expected, Setup setup, boolean startFaults) {
    @Override
    public String toString() {
      return area + ": " + name;
    }
  }

  private static Case c(String area, String name, int code, String expected, Setup setup) {
    return new Case(area, name, code, expected, setup, false);
  }

  private static Case atStart(String area, String name, int code, String expected, Setup setup) {
    return new Case(area, name, code, expected, setup, true);
  }

  static Stream<Case> cases() {
    // -Dhostile.only=TEXT runs the cases whose name holds TEXT, when looking into one.
    String only = System.getProperty("hostile.only", "");
    return Stream.of(configCases(), schemaCases(), templateCases(), definitionCases(), runDirectoryCases(),
        credentialCases(), serviceCases(), stateCases(), nameCases()).flatMap(s -> s)
        .filter(k -> k.toString().contains(only));
  }

  private static Stream<Case> configCases() {
    String a = "config";
    return Stream.of(
        c(a, "missing config file", 3, "nope.yaml: config file not found",
            s -> replace(s.dryRun(), s.config.toString(), s.config.resolveSibling("nope.yaml").toString())),
        c(a, "config is a directory", 3, "conf.d", s -> {
          Files.createDirectories(s.config.resolveSibling("conf.d"));
          return replace(s.dryRun(), s.config.toString(), s.config.resolveSibling("conf.d").toString());
        }),
        c(a, "empty config file", 3, "flowwatch.yaml", s -> {
          Files.writeString(s.config, "");
          return s.dryRun();
        }),
        c(a, "config that is not text", 3, "flowwatch.yaml", s -> {
          Files.write(s.config, new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1, 2, (byte) 0x80, 10});
          return s.dryRun();
        }),
        c(a, "config that is a list", 3, "flowwatch.yaml", s -> {
          Files.writeString(s.config, "- flow\n- collections\n");
          return s.dryRun();
        }),
        c(a, "tab indentation", 3, "flowwatch.yaml:21:", s -> s.edit("  id: babd88e5", "\tid: babd88e5").dryRun()),
        c(a, "unclosed bracket", 3, "flowwatch.yaml:", s -> s.edit("tags: [Transfer, Compute, FRIB]",
            "tags: [Transfer, Compute, FRIB").dryRun()),
        c(a, "unclosed quote", 3, "flowwatch.yaml:", s -> s.edit("label: \"FRIB-NERSC", "label: 'FRIB-NERSC").dryRun()),
        c(a, "anchor and alias", 3, "flowwatch.yaml:", s -> s.edit("  nersc_top: /global/cfs/cdirs/m4386/e21062_flows",
            "  nersc_top: &top /global/cfs/cdirs/m4386/e21062_flows\n  other_top: *top").dryRun()),
        c(a, "alias bomb", 3, "flowwatch.yaml:", s -> s.append(
            "x0: &a0 [x, x, x, x, x, x, x, x, x]\nx1: &a1 [*a0, *a0, *a0, *a0, *a0, *a0, *a0, *a0, *a0]\n"
                + "x2: &a2 [*a1, *a1, *a1, *a1, *a1, *a1, *a1, *a1, *a1]\n"
                + "x3: &a3 [*a2, *a2, *a2, *a2, *a2, *a2, *a2, *a2, *a2]\n").dryRun()),
        c(a, "two YAML documents", 3, "flowwatch.yaml:", s -> s.append("---\nflow:\n  id: x\n").dryRun()),
        c(a, "duplicate key", 3, "flowwatch.yaml:", s -> s.edit("  title: FRIB-NERSC-Analysis-Pipeline",
            "  title: FRIB-NERSC-Analysis-Pipeline\n  title: again").dryRun()),
        c(a, "unknown key", 3, "did you mean 'title'?", s -> s.edit("  title:", "  titel:").dryRun()),
        c(a, "wrong type", 3, "flow.tags: expected a list of strings",
            s -> s.edit("tags: [Transfer, Compute, FRIB]", "tags: {a: 1}").dryRun()),
        c(a, "unset environment variable", 3, "environment variable NERSC_TOP is not set",
            s -> s.edit("/global/cfs/cdirs/m4386/e21062_flows", "${NERSC_TOP}").dryRun()),
        c(a, "bad regular expression", 3, "is not a valid regular expression",
            s -> s.edit("'run(?<number>\\d+)'", "'run(?<number>\\d+'").dryRun()),
        c(a, "flow id that is not a UUID", 3, "flow.id", s -> s.edit("  id: babd88e5-d31d-48c7-b3a0-b765389b5c22",
            "  id: my-flow").dryRun()),
        c(a, "collection id that is not a UUID", 3, "collections.nersc_dtn.id: expected a UUID",
            s -> s.edit("9d6d994a-6d04-11e5-ba46-22000b92c6ec", "nersc").dryRun()),
        c(a, "huge number", 3, "flowwatch.yaml", s -> s.append("watch:\n  max_active_runs: 99999999999999999999999\n")
            .dryRun()));
  }

  private static Stream<Case> schemaCases() {
    String a = "schema";
    String schema = "schemas/transfer_compute.json";
    return Stream.of(
        c(a, "schema that is not JSON", 3, "not valid JSON", s -> {
          s.write(schema, "{\"type\": \"object\",,}");
          return s.dryRun();
        }),
        c(a, "schema that is a list", 3, "transfer_compute.json", s -> {
          s.write(schema, "[1, 2]");
          return s.dryRun();
        }),
        c(a, "empty schema file", 3, "transfer_compute.json", s -> {
          s.write(schema, "");
          return s.dryRun();
        }),
        c(a, "schema of draft 2020-12", 3, "draft 7", s -> {
          s.write(schema, "{\"$schema\": \"https://json-schema.org/draft/2020-12/schema\", \"type\": \"object\","
              + " \"properties\": {\"fit\": {\"type\": \"array\", \"prefixItems\": [{\"type\": \"string\"}]}}}");
          return s.dryRun();
        }),
        c(a, "schema of draft 2019-09", 3, "draft 7", s -> {
          s.write(schema, "{\"$schema\": \"https://json-schema.org/draft/2019-09/schema\", \"type\": \"object\"}");
          return s.dryRun();
        }),
        c(a, "schema reference to nowhere", 3, "transfer_compute.json", s -> {
          s.write(schema, "{\"type\": \"object\", \"properties\": {\"fit\": {\"$ref\": \"#/definitions/gone\"}}}");
          return s.dryRun();
        }),
        c(a, "schema with a keyword of the wrong type", 3, "transfer_compute.json", s -> {
          s.write(schema, "{\"type\": 5}");
          return s.dryRun();
        }),
        c(a, "schema file missing", 3, "flow.schema: cannot read file",
            s -> s.edit("schemas/transfer_compute.json", "schemas/gone.json").dryRun()),
        c(a, "schema nested too deep", 3, "transfer_compute.json", s -> {
          s.write(schema, "[".repeat(5000) + "]".repeat(5000));
          return s.dryRun();
        }));
  }

  private static Stream<Case> templateCases() {
    String a = "template";
    String sorted = "run-{run.number:%04d}-sorted.root\"\n    destination";
    return Stream.of(
        c(a, "unknown fact", 3, "Did you mean {run.name}?",
            s -> s.edit("{run.name}\"\n  fit:", "{run.nmae}\"\n  fit:").dryRun()),
        c(a, "huge format width", 3, "%0999999999d",
            s -> s.edit(sorted, "run-{run.number:%0999999999d}-sorted.root\"\n    destination").dryRun()),
        c(a, "huge format precision", 3, "%.999999999f",
            s -> s.edit(sorted, "run-{run.number:%.999999999f}-sorted.root\"\n    destination").dryRun()),
        c(a, "number format on text", 3, "%04d",
            s -> s.edit(sorted, "run-{run.name:%04d}-sorted.root\"\n    destination").dryRun()),
        c(a, "unknown conversion", 3, "%q",
            s -> s.edit(sorted, "run-{run.number:%q}-sorted.root\"\n    destination").dryRun()),
        c(a, "two conversions in one format", 3, "%d%s",
            s -> s.edit(sorted, "run-{run.number:%d%s}-sorted.root\"\n    destination").dryRun()),
        c(a, "unclosed placeholder", 3, "{run.number",
            s -> s.edit(sorted, "run-{run.number-sorted.root\"\n    destination").dryRun()),
        c(a, "unknown fact in the label", 3, "{run.numbr}",
            s -> s.edit("Pipeline Run {run.number}", "Pipeline Run {run.numbr}").dryRun()));
  }

  private static Stream<Case> definitionCases() {
    String a = "definition";
    String def = "flows/transfer_compute.json";
    return Stream.of(
        c(a, "definition that is not JSON", 4, "not valid JSON", s -> {
          s.write(def, "{\"StartAt\": ");
          return s.dryRun();
        }),
        c(a, "definition file missing", 3, "flow.definition",
            s -> s.edit("flows/transfer_compute.json", "flows/gone.json").dryRun()),
        c(a, "definition without StartAt", 4, "StartAt", s -> {
          s.write(def, "{\"States\": {\"A\": {\"Type\": \"Pass\", \"End\": true}}}");
          return s.dryRun();
        }),
        c(a, "Next to a missing state", 4, "Gone", s -> {
          s.write(def, "{\"StartAt\": \"A\", \"States\": {\"A\": {\"Type\": \"Pass\", \"Next\": \"Gone\"}}}");
          return s.dryRun();
        }),
        c(a, "unknown state type", 4, "Parallel", s -> {
          s.write(def, "{\"StartAt\": \"A\", \"States\": {\"A\": {\"Type\": \"Parallel\", \"End\": true}}}");
          return s.dryRun();
        }),
        c(a, "state nobody can reach", 4, "Orphan", s -> {
          s.write(def, "{\"StartAt\": \"A\", \"States\": {\"A\": {\"Type\": \"Pass\", \"End\": true},"
              + " \"Orphan\": {\"Type\": \"Pass\", \"End\": true}}}");
          return new String[] {"--config", s.config.toString(), "lint"};
        }),
        c(a, "lint of a file that does not exist", 3, "nothing.json",
            s -> new String[] {"lint", s.config.resolveSibling("nothing.json").toString()}));
  }

  private static Stream<Case> runDirectoryCases() {
    String a = "run directory";
    return Stream.of(
        c(a, "run directory that does not exist", 4, "run9999",
            s -> replace(s.dryRun(), s.run1217.toString(), s.rawdata.resolve("run9999").toString())),
        c(a, "run directory that is a file", 4, "not a directory", s -> {
          Path file = Files.writeString(s.rawdata.resolve("run7"), "x");
          return replace(s.dryRun(), s.run1217.toString(), file.toString());
        }),
        c(a, "name that does not match the pattern", 4, "scan_52", s -> {
          Path other = Files.createDirectories(s.rawdata.resolve("scan_52"));
          return replace(s.dryRun(), s.run1217.toString(), other.toString());
        }),
        c(a, "outside every collection", 4, "is outside the local_root of every collection",
            s -> s.edit("local_root: ${FRIB_DTN_ROOT:-/mnt/cephfs/sci-dtn}", "local_root: /somewhere/else").dryRun()),
        c(a, "symlink to a directory outside every collection", 4, "outside", s -> {
          Path outside = Files.createDirectories(s.dir.resolve("elsewhere/run1300"));
          Files.writeString(outside.resolve("run-1300-00.evt"), "x");
          Path link = Files.createSymbolicLink(s.rawdata.resolve("run1300"), outside);
          return s.tokens().start(link);
        }),
        c(a, "rsync still writing", 11, "not ready", s -> {
          Files.writeString(s.run1217.resolve(".run-1217-03.evt.Xy12Ab"), "partial");
          return s.tokens().start();
        }),
        c(a, "empty --rundir", 2, "--rundir needs a path", s -> replace(s.dryRun(), s.run1217.toString(), "")),
        c(a, "watch directory that does not exist", 2, "gone",
            s -> replace(s.once(), s.rawdata.toString(), s.dir.resolve("gone").toString())),
        c(a, "watch directory that is a file", 2, "not a directory", s -> {
          Path file = Files.writeString(s.dir.resolve("plain-file"), "x");
          return replace(s.once(), s.rawdata.toString(), file.toString());
        }));
  }

  private static Stream<Case> credentialCases() {
    String a = "credentials";
    return Stream.of(
        c(a, "no credentials at all", 5, "flowwatch login", Site::start),
        c(a, "client id without a secret", 5, "GLOBUS_CLIENT_SECRET is not", s -> {
          s.jar.env("GLOBUS_CLIENT_ID", "c0ffee00-1111-4222-8333-444455556666");
          return s.start();
        }),
        c(a, "client secret refused", 5, "GLOBUS_CLIENT_SECRET", s -> {
          s.credentials();
          globus.stubFor(post("/v2/oauth2/token").willReturn(json(401,
              "{\"error\": \"invalid_client\", \"error_description\": \"Invalid client credentials\"}")));
          return s.start();
        }),
        c(a, "token file that is not JSON", 5, "tokens.json", s -> {
          s.jar.env("FLOWWATCH_NATIVE_CLIENT_ID", NATIVE_CLIENT);
          s.write("state/flowwatch/tokens.json", "{not json");
          return s.start();
        }),
        c(a, "token file that is a directory", 3, "tokens.json", s -> {
          s.jar.env("FLOWWATCH_NATIVE_CLIENT_ID", NATIVE_CLIENT);
          Files.createDirectories(s.dir.resolve("state/flowwatch/tokens.json"));
          return s.start();
        }),
        c(a, "saved login revoked", 5, "flowwatch login", s -> {
          s.jar.env("FLOWWATCH_NATIVE_CLIENT_ID", NATIVE_CLIENT);
          s.write("state/flowwatch/tokens.json", "{\"" + NATIVE_CLIENT + "\": {\"" + FLOW + "\": {\"access_token\": \"old\","
              + " \"refresh_token\": \"revoked-refresh\", \"expires_at\": 1000, \"scope\": \"x\"}}}");
          Files.setPosixFilePermissions(s.dir.resolve("state/flowwatch/tokens.json"),
              java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
          globus.stubFor(post("/v2/oauth2/token").willReturn(json(400, "{\"error\": \"invalid_grant\"}")));
          return s.start();
        }),
        c(a, "dependent consent required", 5, "cannot be asked for consent", s -> {
          s.credentials();
          globus.stubFor(post("/v2/oauth2/token").willReturn(json(403, "{\"error\": \"dependent_consent_required\","
              + " \"error_description\": \"User must approve your client using scopes. See 'unapproved_scopes'.\","
              + " \"errors\": [{\"code\": \"DEPENDENT_CONSENT_REQUIRED\", \"status\": \"403\", \"id\": \"x1\","
              + " \"unapproved_scopes\": [\"https://auth.globus.org/scopes/" + FLOW + "/flow_" + FLOW.replace('-', '_')
              + "_user\"]}]}")));
          return s.start();
        }),
        c(a, "scope the client may not have", 6, "scope", s -> {
          s.credentials();
          globus.stubFor(post("/v2/oauth2/token").willReturn(json(400,
              "{\"error\": \"invalid_scope\", \"error_description\": \"Unknown scope\"}")));
          return s.start();
        }));
  }

  private static Stream<Case> serviceCases() {
    String a = "service";
    return Stream.of(
        c(a, "token endpoint answers HTML", 7, "token", s -> {
          s.credentials();
          globus.stubFor(post("/v2/oauth2/token").willReturn(aResponse().withStatus(502)
              .withHeader("Content-Type", "text/html").withBody("<html><body>Bad Gateway</body></html>")));
          return s.start();
        }),
        c(a, "token endpoint answers garbage", 7, "token", s -> {
          s.credentials();
          globus.stubFor(post("/v2/oauth2/token").willReturn(json(200, "{\"access_token\": ")));
          return s.start();
        }),
        atStart(a, "start answered with HTML", 7, "start a run", s -> {
          startAnswers(aResponse().withStatus(502).withHeader("Content-Type", "text/html")
              .withBody("<html><head><title>502 Bad Gateway</title></head></html>"));
          return s.tokens().start();
        }),
        atStart(a, "start answered with garbage JSON", 7, "start a run", s -> {
          startAnswers(json(201, "{\"run_id\": [1, 2"));
          return s.tokens().start();
        }),
        atStart(a, "start answered with a huge number", 7, "start a run", s -> {
          startAnswers(json(201, "{\"run_id\": " + "9".repeat(2000) + "}"));
          return s.tokens().start();
        }),
        atStart(a, "connection reset", 7, "start a run", s -> {
          startAnswers(aResponse().withFault(com.github.tomakehurst.wiremock.http.Fault.CONNECTION_RESET_BY_PEER));
          return s.tokens().start();
        }),
        atStart(a, "empty reply", 7, "start a run", s -> {
          startAnswers(aResponse().withFault(com.github.tomakehurst.wiremock.http.Fault.EMPTY_RESPONSE));
          return s.tokens().start();
        }),
        atStart(a, "service error with a JSON body", 7, "start a run", s -> {
          startAnswers(json(500, "{\"code\": \"UNHANDLED_ERROR\", \"description\": \"An unexpected error\"}"));
          return s.tokens().start();
        }),
        atStart(a, "flow not found", 6, "flow", s -> {
          startAnswers(json(404, resource("jarit/error-run-not-found.json")));
          return s.tokens().start();
        }),
        c(a, "TLS to a plain-text port", 7, "TLS", s -> {
          s.credentials();
          String https = globus.baseUrl().replace("http://", "https://");
          s.jar.env("GLOBUS_SDK_SERVICE_URL_AUTH", https).env("GLOBUS_SDK_SERVICE_URL_FLOWS", https);
          return s.start();
        }),
        c(a, "service URL that is not a URL", 3, "GLOBUS_SDK_SERVICE_URL_FLOWS", s -> {
          s.tokens();
          s.jar.env("GLOBUS_SDK_SERVICE_URL_FLOWS", "flows service");
          return s.start();
        }),
        c(a, "host that does not resolve", 7, "flows.invalid", s -> {
          s.credentials();
          s.jar.env("GLOBUS_SDK_SERVICE_URL_AUTH", "http://flows.invalid");
          return s.start();
        }));
  }

  private static Stream<Case> stateCases() {
    String a = "state directory";
    return Stream.of(
        c(a, "state directory that is a file", 3, "state", s -> {
          Files.writeString(s.dir.resolve("state-file"), "x");
          s.stateDir = s.dir.resolve("state-file");
          return s.tokens().start();
        }),
        c(a, "ledger that is not a database", 3, "ledger.db", s -> {
          s.write("state/ledger.db", "this is not an SQLite file, but it is long enough to look like one.");
          return s.tokens().start();
        }),
        c(a, "read-only state directory", 3, "read-only", s -> {
          s.stateDir = s.tmpfs(s.dir.resolve("ro-state"), "1m", true);
          return s.tokens().start();
        }),
        c(a, "full disk", 3, "full", s -> {
          s.stateDir = s.tmpfs(s.dir.resolve("full-state"), "64k", false);
          fill(s.stateDir);
          return s.tokens().start();
        }),
        c(a, "ledger of another watch directory", 3, "ledger", s -> {
          for (String f : new String[] {"ledger.db", "ledger.db-wal", "ledger.db-shm"}) {
            Files.deleteIfExists(s.stateDir.resolve(f));
          }
          try (Ledger ledger = Ledger.open(s.stateDir.resolve("ledger.db"), Files.createDirectories(s.dir.resolve("other")),
              Clock.systemUTC())) {
            ledger.apply(Transition.of("run1", RunState.SEEN).reason("found by scan"));
          }
          return s.tokens().start();
        }));
  }

  private static Stream<Case> nameCases() {
    String a = "names";
    return Stream.of(
        c(a, "newline in a run directory name", 4, "run12\\n", s -> {
          Path forged = Files.createDirectories(s.rawdata.resolve("run12\n2026-12-02 10:00:00 INFO started run13"));
          return replace(s.dryRun(), s.run1217.toString(), forged.toString());
        }),
        c(a, "escape sequence in a run directory name", 4, "run12", s -> {
          Path forged = Files.createDirectories(s.rawdata.resolve("run12\u001b[2K\u001b[1Gclean"));
          return replace(s.dryRun(), s.run1217.toString(), forged.toString());
        }),
        c(a, "carriage return in a config path", 3, "gone\\r", s -> s.edit("schemas/transfer_compute.json",
            "schemas/gone\\rINFO.json").dryRun()));
  }

  @AfterEach
  void unmount() throws Exception {
    for (Path m : mounts) {
      sh("umount", "-l", m.toString());
    }
  }

  @BeforeEach
  void resetStubs() {
    globus.resetAll();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void hostileInputGetsOneClearLineAndItsExitCode(Case k) throws Exception {
    Site site = new Site();
    site.seedLedger();
    String[] args = k.setup().apply(site);
    Path ledger = site.stateDir.resolve("ledger.db");
    String before = dump(ledger);

    JarRunner.Result r = site.jar.run(args).assertNoStackTrace();

    String shown = "exit " + r.code() + ", stderr:\n" + r.err() + "\nstdout:\n" + r.out();
    assertEquals(k.code(), r.code(), shown);
    List<String> problems = problemLines(r.err(), r.out(), k.expected());
    assertEquals(1, problems.size(), "one line must report the problem:\n" + shown);
    assertTrue(problems.get(0).contains(k.expected()), "the problem line must name '" + k.expected() + "':\n" + shown);
    assertFalse(INTERNALS.matcher(r.err()).find(), "Java or parser internals shown:\n" + shown);
    for (String line : (r.err() + r.out()).split("\n", -1)) {
      assertFalse(line.startsWith("2026-12-02 10:00:00 INFO"), "a name forged a line:\n" + shown);
      assertFalse(line.contains("\u001b") || line.contains("\r"), "a control character reached the output:\n" + shown);
    }
    if (!k.startFaults()) {
      globus.verify(0, postRequestedFor(urlMatching("/flows/.*/run")));
      assertEquals(before, dump(ledger), "the ledger changed:\n" + shown);
    }
  }

  /**
   * The line that reports the problem: flowwatch's own "flowwatch: ..." line, of which there must be one;
   * without one (schema violations on stderr; lint's findings, which are its result, on stdout), the
   * first line that names the expected text.
   */
  private static List<String> problemLines(String err, String out, String expected) {
    List<String> own = Arrays.stream(err.split("\n")).filter(l -> l.startsWith("flowwatch: ")).toList();
    if (!own.isEmpty()) {
      return own;
    }
    return Arrays.stream((err + "\n" + out).split("\n")).filter(l -> l.contains(expected)).limit(1).toList();
  }

  /** Every row of every table, in order, or "" when there is no ledger file. */
  private static String dump(Path ledger) throws SQLException {
    if (!Files.isRegularFile(ledger)) {
      return "";
    }
    StringBuilder out = new StringBuilder();
    try (Connection db = DriverManager.getConnection("jdbc:sqlite:file:" + ledger + "?mode=ro");
        Statement st = db.createStatement()) {
      List<String> tables = new ArrayList<>();
      try (ResultSet rs = st.executeQuery("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")) {
        while (rs.next()) {
          tables.add(rs.getString(1));
        }
      }
      for (String table : tables) {
        try (ResultSet rs = st.executeQuery("SELECT * FROM \"" + table + "\" ORDER BY 1")) {
          int n = rs.getMetaData().getColumnCount();
          while (rs.next()) {
            out.append(table);
            for (int i = 1; i <= n; i++) {
              out.append('|').append(rs.getString(i));
            }
            out.append('\n');
          }
        }
      }
    } catch (SQLException e) {
      return "unreadable: " + e.getMessage();
    }
    return out.toString();
  }

  private static void startAnswers(com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder answer) {
    globus.stubFor(post("/flows/" + FLOW + "/run").willReturn(answer));
  }

  private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder json(int status, String body) {
    return aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(body);
  }

  private static String resource(String path) throws IOException {
    try (var in = HostileInputJarIT.class.getResourceAsStream("/" + path)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static String[] replace(String[] args, String from, String to) {
    return Arrays.stream(args).map(x -> x.equals(from) ? to : x).toArray(String[]::new);
  }

  private static String[] args(List<String> base, String... more) {
    List<String> all = new ArrayList<>(base);
    all.addAll(List.of(more));
    return all.toArray(String[]::new);
  }

  private static void fill(Path dir) throws IOException {
    byte[] block = new byte[4096];
    try (var out = Files.newOutputStream(dir.resolve("filler"))) {
      while (true) {
        out.write(block);
      }
    } catch (IOException full) {
      // the disk is full now, as the case wants
    }
  }

  private static void sh(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
    }
  }
}
