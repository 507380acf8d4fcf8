package org.flowwatch.engine;

import java.util.List;

/**
 * The definition is one the Flows service would refuse (a lint error), or one the local engine cannot run
 * (an ActionUrl no local provider serves, an expression outside the subset): nothing was run.
 */
public final class DefinitionRefusedException extends Exception {
  private static final long serialVersionUID = 1L;

  private final List<String> problems;

  DefinitionRefusedException(String what, List<String> problems) {
    super(what + ":\n  " + String.join("\n  ", problems));
    this.problems = List.copyOf(problems);
  }

  /** One line per problem. */
  public List<String> problems() {
    return problems;
  }
}
