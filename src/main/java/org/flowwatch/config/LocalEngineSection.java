package org.flowwatch.config;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Reads the {@code local_engine} section into a {@link LocalEngineConfig}, one clear message per mistake. */
final class LocalEngineSection {
  private static final Pattern VARIABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private LocalEngineSection() {}

  static LocalEngineConfig read(ConfigNode node, Path base, Map<String, CollectionConfig> collections,
      ComputeConfig compute) {
    if (node.isMissing()) {
      return LocalEngineConfig.NONE;
    }
    node.requireMapping().allowOnly("roots", "environment", "launchers", "work_dir", "python");
    Map<String, Path> roots = new LinkedHashMap<>();
    ConfigNode r = node.get("roots");
    if (!r.isMissing()) {
      for (Map.Entry<String, ConfigNode> e : r.entries().entrySet()) {
        if (!collections.containsKey(e.getKey())) {
          e.getValue().failAtKey("no collection '" + e.getKey() + "' under collections; roots maps a collection's"
              + " name to a local directory; collections: " + known(collections.keySet()));
        }
        roots.put(e.getKey(), e.getValue().path(base));
      }
    }
    Map<String, LocalEngineConfig.Launcher> launchers = new LinkedHashMap<>();
    ConfigNode l = node.get("launchers");
    if (!l.isMissing()) {
      for (Map.Entry<String, ConfigNode> e : l.entries().entrySet()) {
        if (!compute.endpoints().containsKey(e.getKey())) {
          e.getValue().failAtKey("no endpoint '" + e.getKey() + "' under compute.endpoints; launchers maps an"
              + " endpoint's name to how its functions run here; endpoints: " + known(compute.endpoints().keySet()));
        }
        launchers.put(e.getKey(), launcher(e.getValue(), base));
      }
    }
    ConfigNode python = node.get("python");
    ConfigNode workDir = node.get("work_dir");
    return new LocalEngineConfig(roots, environment(node.get("environment"), base), launchers,
        workDir.isMissing() ? null : workDir.path(base),
        python.isMissing() ? LocalEngineConfig.DEFAULT_PYTHON : python.nonBlankString());
  }

  /** {@code direct}, or {@code {launcher: sbatch, options: [...], environment: {...}}}. */
  private static LocalEngineConfig.Launcher launcher(ConfigNode node, Path base) {
    if (!node.isMapping()) {
      return new LocalEngineConfig.Launcher(kind(node), List.of(), Map.of());
    }
    node.allowOnly("launcher", "options", "environment");
    return new LocalEngineConfig.Launcher(kind(node.get("launcher").required()), node.get("options").stringList(),
        environment(node.get("environment"), base));
  }

  private static String kind(ConfigNode node) {
    String kind = node.nonBlankString().trim();
    if (!LocalEngineConfig.KINDS.contains(kind)) {
      node.fail("expected direct, srun or sbatch (how the endpoint's functions start here), got '" + kind + "'");
    }
    return kind;
  }

  /**
   * Variable names to values. A value written {@code {path: P}} is a file or directory, relative to the
   * config file like every path in it, so a config can name the job scripts beside it.
   */
  private static Map<String, String> environment(ConfigNode node, Path base) {
    Map<String, String> out = new LinkedHashMap<>();
    if (node.isMissing()) {
      return out;
    }
    for (Map.Entry<String, ConfigNode> e : node.entries().entrySet()) {
      if (!VARIABLE.matcher(e.getKey()).matches()) {
        e.getValue().failAtKey("not a usable environment variable name: use letters, digits and '_', not starting"
            + " with a digit");
      }
      ConfigNode value = e.getValue();
      if (value.isMapping()) {
        value.allowOnly("path");
        out.put(e.getKey(), value.get("path").required().path(base).toString());
      } else {
        out.put(e.getKey(), value.string());
      }
    }
    return out;
  }

  private static String known(java.util.Set<String> names) {
    return names.isEmpty() ? "none" : String.join(", ", names);
  }
}
