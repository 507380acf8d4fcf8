package org.flowwatch.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class NamedGroupsTest {

  @Test
  void findsGroupsInTheOrderTheyAppear() {
    assertEquals(List.of("experiment", "number"),
        NamedGroups.of(Pattern.compile("(?<experiment>e\\d+)_run(?<number>\\d+)")));
  }

  @Test
  void skipsLookBehindsEscapesQuotesAndCharacterClasses() {
    Pattern pattern = Pattern.compile("(?<=x)(?<!y)\\(?<no>\\Q(?<quoted>\\E[(?<cls>]run(?<number>\\d+)");

    assertEquals(List.of("number"), NamedGroups.of(pattern));
  }

  @Test
  void findsGroupsInCommentsModePatterns() {
    assertEquals(List.of("number"), NamedGroups.of(Pattern.compile("run (?<number>\\d+) # the run", Pattern.COMMENTS)));
  }

  @Test
  void eachPatternGetsItsOwnNamesWhenPatternsAlternate() {
    Pattern runs = Pattern.compile("run(?<number>\\d+)");
    Pattern experiments = Pattern.compile("(?<experiment>e\\d+)");

    assertEquals(List.of("number"), NamedGroups.of(runs));
    assertEquals(List.of("experiment"), NamedGroups.of(experiments));
    assertEquals(List.of("number"), NamedGroups.of(runs));
    assertEquals(List.of("number"), NamedGroups.of(Pattern.compile("run(?<number>\\d+)")));
  }
}
