package org.flowwatch.cli;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.LayoutBase;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import org.flowwatch.text.Printable;

/**
 * One text line per log entry: {@code 2026-12-02T19:00:00.123+01:00 INFO  message}. The message is made
 * {@link Printable#line printable}, so a run directory named with a newline or a terminal escape cannot
 * forge an entry; a stack trace, when there is one, follows on its own lines. Public because logback.xml
 * names it.
 */
public final class TextLogLayout extends LayoutBase<ILoggingEvent> {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX");
  private final ZoneId zone = ZoneId.systemDefault();

  @Override
  public String doLayout(ILoggingEvent event) {
    StringBuilder line = new StringBuilder(128)
        .append(TIME.format(Instant.ofEpochMilli(event.getTimeStamp()).atZone(zone))).append(' ')
        .append(String.format("%-5s", event.getLevel())).append(' ')
        .append(Printable.line(event.getFormattedMessage())).append(System.lineSeparator());
    if (event.getThrowableProxy() != null) {
      line.append(Printable.lines(ThrowableProxyUtil.asString(event.getThrowableProxy())))
          .append(System.lineSeparator());
    }
    return line.toString();
  }
}
