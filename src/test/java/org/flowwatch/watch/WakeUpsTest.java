package org.flowwatch.watch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;

/** What woke the agent's loop, taken in one batch. */
class WakeUpsTest {

  @Test
  void givenEventsForSomeKeys_whenDrained_thenEachKeyComesOnceAndTheQueueIsEmpty() {
    WakeUps w = new WakeUps();
    w.touched("run0001");
    w.touched("run0002");
    w.touched("run0001");
    w.nudge();

    WakeUps.Batch b = w.drain();

    assertEquals(Set.of("run0001", "run0002"), b.keys());
    assertFalse(b.lost());
    assertFalse(b.reload());
    assertEquals(new WakeUps.Batch(Set.of(), false, false), w.drain());
  }

  @Test
  void givenLostEventsAndAReload_whenDrained_thenTheBatchSaysSo() {
    WakeUps w = new WakeUps();
    w.touched("");
    w.reload();

    WakeUps.Batch b = w.drain();

    assertTrue(b.lost());
    assertTrue(b.reload());
    assertEquals(Set.of(), b.keys(), "a lost-events mark is not a key");
  }

  @Test
  void givenSomethingQueued_whenAwaited_thenItReturnsAtOnceAndLeavesItForTheDrain() throws Exception {
    WakeUps w = new WakeUps();
    w.touched("run0001");
    long t0 = System.nanoTime();

    w.await(60_000);

    assertTrue(System.nanoTime() - t0 < 5_000_000_000L);
    assertEquals(Set.of("run0001"), w.drain().keys());
  }

  @Test
  void givenAnotherThreadNudges_whenAwaiting_thenTheWaitEndsEarly() throws Exception {
    WakeUps w = new WakeUps();
    Thread nudger = new Thread(() -> {
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        return;
      }
      w.nudge();
    });
    long t0 = System.nanoTime();
    nudger.start();

    w.await(60_000);

    assertTrue(System.nanoTime() - t0 < 5_000_000_000L);
    nudger.join();
  }
}
