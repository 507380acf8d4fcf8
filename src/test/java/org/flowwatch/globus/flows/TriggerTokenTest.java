package org.flowwatch.globus.flows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class TriggerTokenTest {
  private final TriggerToken token = new TriggerToken("fw-3f9a2c1b");

  @Test
  void aShortLabelIsKeptWhole() {
    assertEquals("FRIB-NERSC Analysis Pipeline Run 1217 \u00b7 fw-3f9a2c1b", token.label("FRIB-NERSC Analysis Pipeline Run 1217"));
  }

  @Test
  void aLongLabelIsShortenedAndTheTokenKeptWhole() {
    String label = token.label("FRIB e21062 NERSC Analysis Pipeline, fit + convert + analyze, Run 1217 of 2000");
    assertEquals(TriggerToken.MAX_LABEL, label.length(), label);
    assertTrue(label.endsWith("\u2026 \u00b7 fw-3f9a2c1b"), label);
    assertTrue(label.startsWith("FRIB e21062 NERSC Analysis Pipeline, fit + conver"), label);
  }

  @Test
  void aLabelThatJustFitsIsNotShortened() {
    String fits = "x".repeat(TriggerToken.MAX_LABEL - " \u00b7 fw-3f9a2c1b".length());
    assertEquals(fits, TriggerToken.shortened(fits));
    assertEquals(TriggerToken.MAX_LABEL, token.label(fits).length());
  }

  @Test
  void shorteningNeverSplitsACharacter() {
    String emoji = "\ud83d\udd2c";
    String label = "x".repeat(48) + emoji + "y".repeat(20);
    String shortened = TriggerToken.shortened(label);
    assertEquals("x".repeat(48) + "\u2026", shortened);
  }

  @Test
  void aRunWithAShortenedLabelIsStillFoundByItsToken() {
    String label = token.label("a".repeat(200));
    FlowRun run = new FlowRun(UUID.fromString("5d3a1c2e-7f00-4a11-9b3e-1216aa000001"), null, "ACTIVE", label,
        List.of(), null, null, null, null, null, null);
    assertTrue(token.marks(run), label);
  }
}
