package org.flowwatch.engine.transfer;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * MD5 checksums, Transfer's default algorithm for {@code sync_level} 3 and {@code verify_checksum}.
 * Counts what it reads (the task document's {@code bytes_checksummed}) and stops between blocks when the
 * thread is interrupted, so a big file does not hold up an action that timed out.
 */
final class Checksums {
  private static final int BLOCK = 1 << 20;
  private long bytes;

  String of(Path file) throws IOException, InterruptedException {
    MessageDigest md5 = md5();
    byte[] buffer = new byte[BLOCK];
    try (InputStream in = Files.newInputStream(file)) {
      int n;
      while ((n = in.read(buffer)) > 0) {
        md5.update(buffer, 0, n);
        bytes += n;
        if (Thread.interrupted()) {
          throw new InterruptedException("stopped while checksumming " + file);
        }
      }
    }
    return HexFormat.of().formatHex(md5.digest());
  }

  long bytes() {
    return bytes;
  }

  static MessageDigest md5() {
    try {
      return MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has MD5", e);
    }
  }
}
