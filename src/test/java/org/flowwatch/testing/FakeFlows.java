package org.flowwatch.testing;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A stateful Globus Auth + Flows stand-in on WireMock: it remembers the runs it created, so the run list
 * can find a run whose start answer was lost, and it can fail in the ways the exactly-once rule must
 * survive (accept then drop the connection, accept then answer 502, 429). Bodies follow
 * reference/globus-rest.md §1.5, §2.5–2.7, §2.10.
 */
public final class FakeFlows implements ResponseDefinitionTransformerV2 {
  /** What to do with one start request. */
  public enum Outcome { ACCEPT, ACCEPT_THEN_DROP, ACCEPT_THEN_502, REJECT_502, RATE_LIMIT }

  /** A run the fake created. */
  public record Run(String id, String label, List<String> tags, JsonNode body, java.time.Instant receivedAt) {}

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern START = Pattern.compile("/flows/([0-9a-f-]+)/run");
  private static final Pattern GET_RUN = Pattern.compile("/runs/([0-9a-f-]+)");
  private static final Pattern ENDPOINT = Pattern.compile("/v2/endpoints/([0-9a-f-]+)(/status)?");
  private static final Pattern FLOW_SCOPE = Pattern.compile("scopes%2F([0-9a-f-]{36})%2Fflow_|scopes/([0-9a-f-]{36})/flow_");

  private final List<Run> runs = new ArrayList<>();
  private final AtomicInteger startRequests = new AtomicInteger();
  private final AtomicInteger faults = new AtomicInteger();
  private volatile IntFunction<Outcome> policy = n -> Outcome.ACCEPT;
  private volatile String status = "SUCCEEDED";
  private volatile int delayMillis;
  private volatile int holdMillis;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger maxInFlight = new AtomicInteger();
  private volatile String endpointStatus = "online";

  /** A WireMock extension with this fake installed; every request is answered by it. */
  public static WireMockExtension extension(FakeFlows fake) {
    return WireMockExtension.newInstance()
        .options(com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig().dynamicPort()
            .containerThreads(20).extensions(fake))
        .failOnUnmatchedRequests(true)
        .build();
  }

  /** Routes everything to the fake (WireMock transforms only requests that matched a stub). */
  public void install(WireMockExtension wm) {
    wm.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(404)));
  }

  public void policy(IntFunction<Outcome> byStartNumber) {
    this.policy = byStartNumber;
  }

  /** How long each start request takes to answer, as a slow service would. */
  public void startDelay(int millis) {
    this.delayMillis = millis;
  }

  /**
   * Each start request is held this long on arrival, before anything is decided, so that concurrent
   * requests overlap and {@link #maxInFlight} counts them.
   */
  public void startHold(int millis) {
    this.holdMillis = millis;
  }

  /** The most start requests that were being handled at once. */
  public int maxInFlight() {
    return maxInFlight.get();
  }

  /** The start requests being handled now: arrived, and not yet answered. */
  public int inFlight() {
    return inFlight.get();
  }

  /** What every Compute endpoint reports: online or offline. */
  public void endpointStatus(String value) {
    this.endpointStatus = value;
  }

  /** The status every run reports when polled. */
  public void status(String value) {
    this.status = value;
  }

  public synchronized List<Run> runs() {
    return List.copyOf(runs);
  }

  /** How many start requests were decided: counted once a request's hold is over, as it is answered. */
  public int startRequests() {
    return startRequests.get();
  }

  /** How many start requests were answered with a fault (dropped connection, 502, 429). */
  public int faults() {
    return faults.get();
  }

  public synchronized void reset() {
    runs.clear();
    faults.set(0);
    startRequests.set(0);
    policy = n -> Outcome.ACCEPT;
    status = "SUCCEEDED";
    delayMillis = 0;
    holdMillis = 0;
    maxInFlight.set(0);
    endpointStatus = "online";
  }

  @Override
  public String getName() {
    return "fake-flows";
  }

  @Override
  public ResponseDefinition transform(ServeEvent event) {
    Request req = event.getRequest();
    String path = req.getUrl().split("\\?")[0];
    String method = req.getMethod().getName();
    try {
      if (method.equals("POST") && path.equals("/v2/oauth2/token")) {
        return token(req.getBodyAsString());
      }
      Matcher start = START.matcher(path);
      if (method.equals("POST") && start.matches()) {
        maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
        try {
          if (holdMillis > 0) {
            Thread.sleep(holdMillis);
          }
          return start(start.group(1), JSON.readTree(req.getBodyAsString()));
        } finally {
          inFlight.decrementAndGet();
        }
      }
      if (method.equals("GET") && path.equals("/runs")) {
        return list(param(req, "filter_label"));
      }
      Matcher endpoint = ENDPOINT.matcher(path);
      if (method.equals("GET") && endpoint.matches()) {
        return endpoint.group(2) == null
            ? json(200, JSON.createObjectNode().put("uuid", endpoint.group(1)).put("name", "frib-fit-mpi")
                .put("hostname", "login23.chn.perlmutter.nersc.gov"))
            : json(200, JSON.createObjectNode().put("status", endpointStatus));
      }
      Matcher get = GET_RUN.matcher(path);
      if (method.equals("GET") && get.matches()) {
        return get(get.group(1));
      }
      return json(404, error("NOT_FOUND", "no such resource " + path));
    } catch (Exception e) {
      return json(500, error("INTERNAL", e.toString()));
    }
  }

  private ResponseDefinition token(String form) {
    Matcher m = FLOW_SCOPE.matcher(form);
    String rs = m.find() ? (m.group(1) != null ? m.group(1) : m.group(2)) : "flows.globus.org";
    ObjectNode t = JSON.createObjectNode().put("access_token", "fake-token-" + rs).put("scope", "fake")
        .put("resource_server", rs).put("expires_in", 172800).put("token_type", "Bearer");
    t.putArray("other_tokens");
    return json(200, t);
  }

  private ResponseDefinition start(String flowId, JsonNode request) {
    int n = startRequests.incrementAndGet();
    Outcome outcome = policy.apply(n);
    if (outcome != Outcome.ACCEPT) {
      faults.incrementAndGet();
    }
    if (outcome == Outcome.RATE_LIMIT) {
      return new ResponseDefinitionBuilder().withStatus(429).withHeader("Retry-After", "1")
          .withHeader("Content-Type", "application/json").withBody(error("TOO_MANY_REQUESTS", "slow down").toString())
          .build();
    }
    if (outcome == Outcome.REJECT_502) {
      return json(502, error("BAD_GATEWAY", "upstream failed"));
    }
    List<String> tags = new ArrayList<>();
    request.path("tags").forEach(t -> tags.add(t.asText()));
    Run run = new Run(UUID.randomUUID().toString(), request.path("label").asText(), tags, request.path("body"),
        java.time.Instant.now());
    synchronized (this) {
      runs.add(run);
    }
    return switch (outcome) {
      case ACCEPT_THEN_DROP -> new ResponseDefinitionBuilder().withFault(Fault.CONNECTION_RESET_BY_PEER).build();
      case ACCEPT_THEN_502 -> json(502, error("BAD_GATEWAY", "upstream failed"));
      default -> new ResponseDefinitionBuilder().withStatus(201).withHeader("Content-Type", "application/json")
          .withBody(runDocument(run, flowId, "ACTIVE").toString()).withFixedDelay(delayMillis).build();
    };
  }

  private synchronized ResponseDefinition list(String label) {
    ObjectNode page = JSON.createObjectNode().put("has_next_page", false).put("limit", 20);
    ArrayNode arr = page.putArray("runs");
    for (Run r : runs) {
      if (label == null || r.label().toLowerCase(Locale.ROOT).contains(label.toLowerCase(Locale.ROOT))) {
        arr.add(runDocument(r, null, status));
      }
    }
    return json(200, page);
  }

  private synchronized ResponseDefinition get(String id) {
    for (Run r : runs) {
      if (r.id().equals(id)) {
        return json(200, runDocument(r, null, status));
      }
    }
    return json(404, error("NOT_FOUND", "run " + id + " not found"));
  }

  private static ObjectNode runDocument(Run r, String flowId, String status) {
    ObjectNode d = JSON.createObjectNode().put("run_id", r.id()).put("action_id", r.id())
        .put("flow_id", flowId == null ? "babd88e5-d31d-48c7-b3a0-b765389b5c22" : flowId)
        .put("status", status).put("display_status", status).put("label", r.label())
        .put("start_time", "2026-11-21T08:00:00+00:00");
    ArrayNode tags = d.putArray("tags");
    r.tags().forEach(tags::add);
    d.putObject("details").put("code", status.equals("SUCCEEDED") ? "FlowSucceeded" : "FlowStarting");
    return d;
  }

  private static ObjectNode error(String code, String detail) {
    ObjectNode e = JSON.createObjectNode();
    e.putObject("error").put("code", code).put("detail", detail);
    e.put("debug_id", UUID.randomUUID().toString());
    return e;
  }

  private static String param(Request req, String name) {
    String url = req.getUrl();
    int q = url.indexOf('?');
    if (q < 0) {
      return null;
    }
    for (String pair : url.substring(q + 1).split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0 && pair.substring(0, eq).equals(name)) {
        return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      }
    }
    return null;
  }

  private static ResponseDefinition json(int status, JsonNode body) {
    return new ResponseDefinitionBuilder().withStatus(status).withHeader("Content-Type", "application/json")
        .withBody(body.toString()).build();
  }
}
