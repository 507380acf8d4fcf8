package org.flowwatch.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Reads a flowwatch YAML file into a {@link Config}. Every problem is a {@link ConfigException} that names
 * the file, line and key and says what is expected; nothing is half-loaded.
 */
public final class ConfigLoader {
  private static final Set<String> BUILT_IN_RUN_FACTS = RunDirectoryConfig.BUILT_IN_FACTS;

  private static final Pattern FACT_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private final Map<String, String> env;

  /** @param env the environment used for {@code ${VAR}} expansion (pass System.getenv() in production) */
  public ConfigLoader(Map<String, String> env) {
    this.env = Map.copyOf(env);
  }

  public Config load(Path file) {
    String name = file.toString();
    String text = readText(file, name);
    LocatedYaml doc = LocatedYaml.parse(text, name);
    if (doc.root().isNull() || doc.root().isMissingNode()) {
      throw new ConfigException(name + ": the file is empty; see the configuration reference in README.md");
    }
    ConfigNode root = new ConfigNode(doc, name, new EnvExpander(env), "", "", doc.root());
    root.allowOnly("collections", "flow", "run_directory", "vars", "input", "auth", "watch", "compute",
        "local_engine", "engine", "notify", "http");
    Path base = file.toAbsolutePath().getParent();

    Map<String, CollectionConfig> collections = collections(root.get("collections"));
    FlowConfig flow = flow(root.get("flow").required(), base);
    RunDirectoryConfig runDirectory = runDirectory(root.get("run_directory").required());
    Map<String, JsonNode> vars = vars(root.get("vars"));
    ConfigNode input = root.get("input").required().requireMapping();
    AuthConfig auth = auth(root.get("auth"), base);
    WatchConfig watch = watch(root.get("watch"));
    ComputeConfig compute = compute(root.get("compute"), base);
    LocalEngineConfig localEngine = LocalEngineSection.read(root.get("local_engine"), base, collections, compute);
    NotifyConfig notify = NotifySection.parse(root.get("notify"));
    return new Config(file.toAbsolutePath().normalize(), collections, flow, runDirectory, vars,
        input.expandedTree(), auth, watch, compute, localEngine, engine(root.get("engine")), notify,
        http(root.get("http")));
  }

  private static String readText(Path file, String name) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new ConfigException(name + ": config file not found; pass --config FILE or create ./flowwatch.yaml"
          + " (README.md has a complete example)");
    } catch (AccessDeniedException e) {
      throw new ConfigException(name + ": cannot read the config file: permission denied");
    } catch (MalformedInputException e) {
      throw new ConfigException(name + ": the config file is not UTF-8 text");
    } catch (IOException e) {
      if (Files.isDirectory(file)) {
        throw new ConfigException(name + ": is a directory; --config expects a YAML file");
      }
      throw new ConfigException(name + ": cannot read the config file: " + e.getMessage(), e);
    }
  }

  private static Map<String, CollectionConfig> collections(ConfigNode node) {
    Map<String, CollectionConfig> out = new LinkedHashMap<>();
    if (node.isMissing()) {
      return out;
    }
    for (Map.Entry<String, ConfigNode> e : node.entries().entrySet()) {
      ConfigNode c = e.getValue().requireMapping().allowOnly("id", "local_root", "globus_root", "data_access");
      if (!FACT_NAME.matcher(e.getKey()).matches()) {
        c.fail("a collection name may use letters, digits and '_' only (it is used in placeholders"
            + " like {collections." + e.getKey() + ".id})");
      }
      Path localRoot = null;
      ConfigNode lr = c.get("local_root");
      if (!lr.isMissing()) {
        String s = lr.nonBlankString();
        if (!s.startsWith("/")) {
          lr.fail("expected an absolute path (starting with '/'), got '" + s + "'");
        }
        localRoot = Path.of(s);
      }
      ConfigNode gr = c.get("globus_root");
      String globusRoot = gr.isMissing() ? null : gr.nonBlankString();
      if (globusRoot != null && !globusRoot.startsWith("/")) {
        gr.fail("expected a path as seen through Globus, starting with '/' (for example /mnt/sci-dtn), got '"
            + globusRoot + "'");
      }
      if (globusRoot != null && localRoot == null) {
        gr.fail("globus_root needs local_root: it says where local_root appears inside the collection");
      }
      out.put(e.getKey(), new CollectionConfig(e.getKey(), c.get("id").required().uuid(), localRoot, globusRoot,
          c.get("data_access").bool(true)));
    }
    return out;
  }

  private static FlowConfig flow(ConfigNode f, Path base) {
    f.requireMapping().allowOnly("id", "definition", "schema", "title", "label", "tags", "run_monitors",
        "run_managers", "scope", "subtitle", "description", "keywords", "flow_viewers", "flow_starters",
        "flow_administrators", "notification_policy");
    ConfigNode definition = f.get("definition");
    ConfigNode label = f.get("label");
    return new FlowConfig(
        f.get("id").optionalUuid(),
        definition.isMissing() ? null : definition.readableFile(base),
        f.get("schema").required().readableFile(base),
        f.get("title").optionalString(),
        label.isMissing() ? "{run.name}" : label.nonBlankString(),
        f.get("tags").stringList(),
        principals(f.get("run_monitors")),
        principals(f.get("run_managers")),
        f.get("scope").optionalString(),
        f.get("subtitle").optionalString(),
        f.get("description").optionalString(),
        f.get("keywords").stringList(),
        principals(f.get("flow_viewers"), "public"),
        principals(f.get("flow_starters"), "all_authenticated_users"),
        principals(f.get("flow_administrators")),
        NotifySection.notificationPolicy(f.get("notification_policy")));
  }

  /** Principal URNs; {@code special} names a keyword the service also accepts in this list. */
  private static List<String> principals(ConfigNode node, String... special) {
    List<String> urns = node.stringList();
    for (int i = 0; i < urns.size(); i++) {
      String urn = urns.get(i);
      if (List.of(special).contains(urn)) {
        continue;
      }
      if (!urn.startsWith("urn:globus:auth:identity:") && !urn.startsWith("urn:globus:groups:id:")) {
        node.element(i).fail("expected a principal URN such as urn:globus:groups:id:<group uuid> or"
            + " urn:globus:auth:identity:<identity uuid>, got '" + urn + "'");
      }
    }
    return urns;
  }

  private static RunDirectoryConfig runDirectory(ConfigNode r) {
    r.requireMapping().allowOnly("pattern", "counts");
    ConfigNode p = r.get("pattern").required();
    String regex = p.nonBlankString();
    Pattern pattern;
    try {
      pattern = Pattern.compile(regex);
    } catch (PatternSyntaxException e) {
      return p.fail("'" + regex + "' is not a valid regular expression: " + e.getDescription()
          + (e.getIndex() >= 0 ? " near position " + e.getIndex() : ""));
    }
    for (String group : namedGroups(regex)) {
      if (BUILT_IN_RUN_FACTS.contains(group)) {
        p.fail("the named group '" + group + "' would hide the built-in fact run." + group + "; rename the group");
      }
    }
    Map<String, String> counts = new LinkedHashMap<>();
    ConfigNode c = r.get("counts");
    if (!c.isMissing()) {
      for (Map.Entry<String, ConfigNode> e : c.entries().entrySet()) {
        String name = e.getKey();
        if (!FACT_NAME.matcher(name).matches() || BUILT_IN_RUN_FACTS.contains(name)
            || namedGroups(regex).contains(name)) {
          e.getValue().fail("'" + name + "' cannot be a count name: use letters, digits and '_', and no name"
              + " already used by a built-in fact (" + String.join(", ", BUILT_IN_RUN_FACTS.stream().sorted().toList())
              + ") or a pattern group");
        }
        String glob = e.getValue().nonBlankString();
        try {
          FileSystems.getDefault().getPathMatcher("glob:" + glob);
        } catch (IllegalArgumentException ex) {
          e.getValue().fail("'" + glob + "' is not a valid glob: " + ex.getMessage());
        }
        counts.put(name, glob);
      }
    }
    return new RunDirectoryConfig(pattern, counts);
  }

  private static Set<String> namedGroups(String regex) {
    Set<String> out = new LinkedHashSet<>();
    Matcher m = Pattern.compile("\\(\\?<([a-zA-Z][a-zA-Z0-9]*)>").matcher(regex);
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }

  private static Map<String, JsonNode> vars(ConfigNode node) {
    Map<String, JsonNode> out = new LinkedHashMap<>();
    if (node.isMissing()) {
      return out;
    }
    for (Map.Entry<String, ConfigNode> e : node.entries().entrySet()) {
      if (!FACT_NAME.matcher(e.getKey()).matches()) {
        e.getValue().fail("a var name may use letters, digits and '_' only");
      }
      out.put(e.getKey(), e.getValue().expandedTree());
    }
    return out;
  }

  private static Engine engine(ConfigNode e) {
    if (e.isMissing()) {
      return Engine.GLOBUS;
    }
    String word = e.nonBlankString();
    Engine engine = Engine.parse(word);
    if (engine == null) {
      e.fail("expected globus (the Flows service) or local (this machine's flow engine), got '" + word + "'");
    }
    return engine;
  }

  private static WatchConfig watch(ConfigNode w) {
    WatchConfig d = WatchConfig.DEFAULT;
    if (w.isMissing()) {
      return d;
    }
    w.requireMapping().allowOnly("readiness", "trigger_delay", "scan_interval", "sentinel", "manifest",
        "max_active_runs", "max_starts_per_minute", "concurrent_starts", "status_poll", "heartbeat");
    ConfigNode r = w.get("readiness");
    List<String> readiness = r.isMissing() ? d.readiness() : r.stringList();
    if (readiness.isEmpty()) {
      r.fail("list at least one readiness policy: " + String.join(", ", sorted(WatchConfig.POLICIES)));
    }
    for (int i = 0; i < readiness.size(); i++) {
      if (!WatchConfig.POLICIES.contains(readiness.get(i))) {
        r.element(i).fail("unknown readiness policy '" + readiness.get(i) + "'; expected one of: "
            + String.join(", ", sorted(WatchConfig.POLICIES)));
      }
    }
    String sentinel = w.get("sentinel").optionalString();
    if (readiness.contains("sentinel") && (sentinel == null || sentinel.isBlank())) {
      w.fail("readiness lists 'sentinel', so set watch.sentinel to the file or directory name that marks a"
          + " complete run (for example .transfer_complete)");
    }
    if (sentinel != null && (sentinel.contains("/") || sentinel.equals("..") || sentinel.equals("."))) {
      w.get("sentinel").fail("expected a plain file or directory name inside the run directory, got '" + sentinel + "'");
    }
    String glob = null;
    int count = 0;
    ConfigNode m = w.get("manifest");
    if (!m.isMissing()) {
      m.requireMapping().allowOnly("glob", "count");
      glob = m.get("glob").isMissing() ? "**" : m.get("glob").nonBlankString();
      count = m.get("count").integer(1, 1);
    } else if (readiness.contains("manifest")) {
      w.fail("readiness lists 'manifest', so set watch.manifest.count (and optionally watch.manifest.glob)");
    }
    Duration delay = w.get("trigger_delay").duration(d.triggerDelay());
    Duration scan = w.get("scan_interval").duration(d.scanInterval());
    if (scan.compareTo(Duration.ofMillis(100)) < 0) {
      w.get("scan_interval").fail("must be at least 100ms, got " + scan.toMillis() + "ms");
    }
    Duration statusPoll = w.get("status_poll").duration(d.statusPoll());
    if (statusPoll.compareTo(Duration.ofSeconds(1)) < 0) {
      w.get("status_poll").fail("must be at least 1s, got " + statusPoll.toMillis() + "ms");
    }
    int concurrent = w.get("concurrent_starts").integer(1, d.concurrentStarts());
    if (concurrent > WatchConfig.MAX_CONCURRENT_STARTS) {
      w.get("concurrent_starts").fail("must be at most " + WatchConfig.MAX_CONCURRENT_STARTS + ", got " + concurrent);
    }
    Duration heartbeat = w.get("heartbeat").duration(d.heartbeat());
    if (heartbeat.compareTo(Duration.ofSeconds(1)) < 0) {
      w.get("heartbeat").fail("must be at least 1s, got " + heartbeat.toMillis() + "ms");
    }
    return new WatchConfig(readiness, delay, scan, sentinel, glob, count,
        w.get("max_active_runs").integer(1, d.maxActiveRuns()),
        w.get("max_starts_per_minute").integer(1, d.maxStartsPerMinute()), concurrent, statusPoll, heartbeat);
  }

  /** {@code http.listen: HOST:PORT}; null when there is no {@code http} section (the endpoint is off). */
  private static HttpConfig http(ConfigNode h) {
    if (h.isMissing()) {
      return null;
    }
    h.requireMapping().allowOnly("listen");
    ConfigNode listen = h.get("listen").required();
    try {
      return HttpConfig.parse(listen.nonBlankString());
    } catch (IllegalArgumentException e) {
      return listen.fail(e.getMessage());
    }
  }

  private static ComputeConfig compute(ConfigNode c, Path base) {
    if (c.isMissing()) {
      return ComputeConfig.NONE;
    }
    c.requireMapping().allowOnly("endpoints", "functions");
    Map<String, ComputeConfig.Endpoint> endpoints = new LinkedHashMap<>();
    ConfigNode eps = c.get("endpoints");
    if (!eps.isMissing()) {
      for (Map.Entry<String, ConfigNode> e : eps.entries().entrySet()) {
        ConfigNode ep = e.getValue().requireMapping().allowOnly("id", "name");
        endpoints.put(e.getKey(), new ComputeConfig.Endpoint(e.getKey(), ep.get("id").required().uuid(),
            ep.get("name").optionalString()));
      }
    }
    Map<String, ComputeConfig.Function> functions = new LinkedHashMap<>();
    ConfigNode fns = c.get("functions");
    if (!fns.isMissing()) {
      for (Map.Entry<String, ConfigNode> e : fns.entries().entrySet()) {
        ConfigNode fn = e.getValue().requireMapping().allowOnly("source", "function", "id", "endpoint");
        ConfigNode endpoint = fn.get("endpoint");
        String endpointKey = endpoint.optionalString();
        if (endpointKey != null && !endpoints.containsKey(endpointKey)) {
          endpoint.fail("no endpoint '" + endpointKey + "' under compute.endpoints; known: "
              + String.join(", ", endpoints.keySet()));
        }
        String name = fn.get("function").required().nonBlankString();
        if (!FACT_NAME.matcher(name).matches()) {
          fn.get("function").fail("expected a Python function name, got '" + name + "'");
        }
        functions.put(e.getKey(), new ComputeConfig.Function(e.getKey(), fn.get("source").required()
            .readableFile(base), name, fn.get("id").optionalUuid(), endpointKey));
      }
    }
    return new ComputeConfig(endpoints, functions);
  }

  private static List<String> sorted(Set<String> names) {
    return names.stream().sorted().toList();
  }

  private static AuthConfig auth(ConfigNode a, Path base) {
    if (a.isMissing()) {
      return AuthConfig.DEFAULT;
    }
    a.requireMapping().allowOnly("native_client_id", "token_file");
    ConfigNode tokenFile = a.get("token_file");
    return new AuthConfig(a.get("native_client_id").optionalUuid(),
        tokenFile.isMissing() ? null : tokenFile.path(base));
  }
}
