package org.flowwatch.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SuggestionsTest {

  @Test
  void aSwapOfTwoNeighbouringLettersIsOneEdit() {
    assertEquals(1, Suggestions.distance("titel", "title"));
    assertEquals(Optional.of("title"), Suggestions.closest("titel", List.of("flow_id", "title", "tags")));
  }

  @Test
  void aNameNeedingMoreThanAThirdOfItsLettersChangedGetsNoSuggestion() {
    assertEquals(Optional.empty(), Suggestions.closest("pattern", List.of("patience")));
    assertEquals(Optional.of("pattern"), Suggestions.closest("patern", List.of("patience", "pattern")));
  }

  @Test
  void theNearestCandidateWinsAndTiesGoToTheFirst() {
    assertEquals(Optional.of("run.name"), Suggestions.closest("run.nmae", List.of("run.number", "run.name")));
    assertEquals(Optional.of("Pass"), Suggestions.closest("Pas", List.of("Pass", "Wait", "Past")));
  }

  @Test
  void theHintReadsTheSameWhereverItIsUsed() {
    assertEquals(" (did you mean 'Check'?)", Suggestions.didYouMean("Chek", List.of("Action", "Check")));
    assertEquals("", Suggestions.didYouMean("Zzz", List.of("Action", "Check")));
  }
}
