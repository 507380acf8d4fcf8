package org.flowwatch.watch;

/**
 * A problem every run would hit (a template that cannot be rendered, a schema that cannot be loaded, no
 * flow id): a config error, never a mark on each run directory. The agent logs it once and starts nothing
 * until the config is fixed; one-shot modes exit 3.
 */
public final class ConfigProblem extends RuntimeException {
  public ConfigProblem(String message, Throwable cause) {
    super(message, cause);
  }
}
