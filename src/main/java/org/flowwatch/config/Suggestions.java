package org.flowwatch.config;

import java.util.Collection;
import java.util.Optional;

/**
 * "Did you mean": the one way flowwatch guesses which known name a misspelt one was meant to be — config
 * keys, template facts, state types and names, command-line options and subcommands. It lives in
 * {@code config} because every other package may use {@code config} and {@code config} uses nothing.
 */
public final class Suggestions {
  private Suggestions() {}

  /**
   * The candidate nearest to {@code name}, when at most a third of its characters (and at least one)
   * need changing; a typo like {@code run.nubmer} qualifies, an unrelated name does not. Ties go to the
   * first candidate in iteration order, so callers that want a stable answer pass an ordered collection.
   */
  public static Optional<String> closest(String name, Collection<String> candidates) {
    int limit = Math.max(1, name.length() / 3);
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String candidate : candidates) {
      int d = distance(name, candidate);
      if (d <= limit && d < bestDistance) {
        best = candidate;
        bestDistance = d;
      }
    }
    return Optional.ofNullable(best);
  }

  /** {@code " (did you mean 'X'?)"} for the closest candidate, or an empty string when none is close. */
  public static String didYouMean(String name, Collection<String> candidates) {
    return closest(name, candidates).map(s -> " (did you mean '" + s + "'?)").orElse("");
  }

  /**
   * Optimal string alignment distance: Levenshtein plus swapping two adjacent characters as one edit, so
   * {@code titel} is one edit from {@code title}, as a person typing it would count.
   */
  static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }
}
