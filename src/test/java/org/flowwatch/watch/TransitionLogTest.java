package org.flowwatch.watch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.flowwatch.ledger.Ledger;
import org.flowwatch.ledger.RunState;
import org.flowwatch.ledger.Transition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** The run log: one line per applied transition, each with its own reason. */
class TransitionLogTest {
  @TempDir Path dir;

  @Test
  void givenOneTransactionTakingAKeyThroughTwoStates_whenApplied_thenEachLineHasItsOwnReason() {
    ch.qos.logback.classic.Logger runs = (ch.qos.logback.classic.Logger) LoggerFactory.getLogger("flowwatch.runs");
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    logs.start();
    runs.addAppender(logs);
    ch.qos.logback.classic.Level level = runs.getLevel();
    runs.setLevel(ch.qos.logback.classic.Level.INFO); // the tests' logging config shows WARN and up only
    try (Ledger ledger = Ledger.open(dir.resolve("ledger.db"), dir, Clock.systemUTC())) {
      new TransitionLog(ledger).applyAll(List.of(
          Transition.of("run0001", RunState.SEEN).onlyIfNew().reason("new run directory"),
          Transition.of("run0001", RunState.READY).from(RunState.SEEN).reason("complete")));
    } finally {
      runs.detachAppender(logs);
      runs.setLevel(level);
    }

    assertEquals(List.of("run0001 SEEN: new run directory", "run0001 READY: complete"),
        logs.list.stream().map(ILoggingEvent::getFormattedMessage).toList());
  }
}
