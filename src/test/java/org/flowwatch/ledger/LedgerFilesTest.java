package org.flowwatch.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ledger's files are its owner's alone, and a state directory it cannot use is named in words. */
class LedgerFilesTest {
  @TempDir Path tmp;

  @Test
  void theLedgerAndItsWalAndShmFilesAreOwnerOnlyInAnOwnerOnlyDirectory() throws Exception {
    Path state = tmp.resolve("state");
    Path file = state.resolve("ledger.db");
    try (Ledger ledger = Ledger.open(file, tmp, Clock.systemUTC())) {
      ledger.apply(Transition.of("run1", RunState.SEEN).reason("found by scan"));
      // While it is open, SQLite keeps the write-ahead log and its index beside it.
      for (String name : new String[] {"ledger.db", "ledger.db-wal", "ledger.db-shm"}) {
        Path f = state.resolve(name);
        assertTrue(Files.exists(f), name);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)), name);
      }
    }
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(state)));
  }

  @Test
  void aLedgerThatOthersCouldReadIsMadePrivateWhenOpened() throws Exception {
    Path file = tmp.resolve("ledger.db");
    Ledger.open(file, tmp, Clock.systemUTC()).close();
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    Ledger.open(file, tmp, Clock.systemUTC()).close();
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
  }

  @Test
  void aStateDirectoryThatIsAFileIsNamedInWords() throws Exception {
    Path notADirectory = Files.writeString(tmp.resolve("state"), "x");
    LedgerException e = assertThrows(LedgerException.class,
        () -> Ledger.open(notADirectory.resolve("ledger.db"), tmp, Clock.systemUTC()));
    assertEquals("cannot keep the ledger in the state directory " + notADirectory + ": a part of the path is a"
        + " file, not a directory; move the file aside, or fix the path, or pass --state-dir DIR to keep it"
        + " elsewhere", e.getMessage());
  }
}
