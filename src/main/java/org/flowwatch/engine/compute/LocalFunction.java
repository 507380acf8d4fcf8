package org.flowwatch.engine.compute;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A Compute function as this machine runs it: a top-level function of a Python source file, the way the
 * config's {@code compute.functions} names it ({@code source}, {@code function}).
 *
 * @param source the Python file, absolute
 * @param name the name of the function in it
 */
public record LocalFunction(Path source, String name) {
  public LocalFunction {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(name, "name");
    if (!source.isAbsolute()) {
      throw new IllegalArgumentException("source must be an absolute path, not " + source);
    }
    if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
      throw new IllegalArgumentException("name must be a Python identifier, not '" + name + "'");
    }
  }
}
