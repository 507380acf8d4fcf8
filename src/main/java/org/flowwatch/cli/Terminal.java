package org.flowwatch.cli;

import java.io.BufferedReader;
import java.io.PrintWriter;
import java.util.Map;

/**
 * What a command may touch of the outside world: stdout for results, stderr for messages and progress,
 * stdin for answers, and the environment. Tests pass their own.
 */
public record Terminal(PrintWriter out, PrintWriter err, BufferedReader in, Map<String, String> env) {
  public Terminal {
    env = Map.copyOf(env);
  }
}
