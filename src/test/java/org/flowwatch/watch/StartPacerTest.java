package org.flowwatch.watch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The start pacer: a sliding minute's budget, and pauses the service asks for. */
class StartPacerTest {
  private static final Instant T0 = Instant.parse("2026-12-01T08:00:00Z");

  @Test
  void givenABudgetOfThree_whenFourStartsComeAtOnce_thenTheFourthIsRefused() {
    StartPacer p = new StartPacer(3);

    assertTrue(p.tryAcquire(T0));
    assertTrue(p.tryAcquire(T0.plusSeconds(1)));
    assertTrue(p.tryAcquire(T0.plusSeconds(2)));
    assertFalse(p.tryAcquire(T0.plusSeconds(3)));
  }

  @Test
  void givenAFullMinute_whenItsFirstStartIsAMinuteOld_thenOneSlotFreesUp() {
    StartPacer p = new StartPacer(2);
    p.tryAcquire(T0);
    p.tryAcquire(T0.plusSeconds(10));

    assertFalse(p.tryAcquire(T0.plusSeconds(59)));
    assertTrue(p.tryAcquire(T0.plusSeconds(60)));
    assertFalse(p.tryAcquire(T0.plusSeconds(61)), "the second start is still within its minute");
    assertTrue(p.tryAcquire(T0.plusSeconds(70)));
  }

  @Test
  void givenAFullMinute_whenAskedForTheNextSlot_thenItIsWhenTheOldestStartAgesOut() {
    StartPacer p = new StartPacer(2);
    assertEquals(T0, p.nextSlot(T0));
    p.tryAcquire(T0);
    p.tryAcquire(T0.plusSeconds(10));

    assertEquals(T0.plusSeconds(60), p.nextSlot(T0.plusSeconds(20)));
  }

  @Test
  void givenAPause_whenStartsAreAskedForBeforeItEnds_thenNoneIsGiven() {
    StartPacer p = new StartPacer(30);
    p.pauseUntil(T0.plusSeconds(60));

    assertTrue(p.paused(T0));
    assertFalse(p.tryAcquire(T0.plusSeconds(59)));
    assertEquals(T0.plusSeconds(60), p.nextSlot(T0));
    assertFalse(p.paused(T0.plusSeconds(60)));
    assertTrue(p.tryAcquire(T0.plusSeconds(60)));
  }

  @Test
  void givenAPause_whenAShorterOneIsAsked_thenTheLongerOneStands() {
    StartPacer p = new StartPacer(30);
    p.pauseUntil(T0.plus(Duration.ofMinutes(5)));

    p.pauseUntil(T0.plusSeconds(30));

    assertTrue(p.paused(T0.plus(Duration.ofMinutes(4))));
  }

  @Test
  void givenARefusedStartDuringAPause_whenThePauseEnds_thenItDidNotUseUpTheBudget() {
    StartPacer p = new StartPacer(1);
    p.pauseUntil(T0.plusSeconds(10));
    assertFalse(p.tryAcquire(T0));

    assertTrue(p.tryAcquire(T0.plusSeconds(10)));
  }
}
