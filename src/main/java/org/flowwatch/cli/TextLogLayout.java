package org.flowwatch.cli;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.LayoutBase;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import org.flowwatch.text.Printable;

/**
 * One text line per log entry: {@code 2026-12-02T19:00:00.123+01:00 INFO  message}. The message is made
 * {@link Printable#line printable}, so a run directory named with a newline or a terminal escape cannot
 * forge an entry; a stack trace, when there is one, follows on its own lines. Public because logback.xml
 * names it.
 */
public final class TextLogLayout extends LayoutBase<ILoggingEvent> {
  private static final DateTimeFormatter SECOND = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss");
  private static final DateTimeFormatter OFFSET = DateTimeFormatter.ofPattern("XXX");
  private final ZoneId zone;
  /** The text of the last second an entry fell in: an agent logs several lines a second, in bursts many. */
  private volatile Second last = new Second(Long.MIN_VALUE, "", "");

  private record Second(long epochSecond, String time, String offset) {}

  public TextLogLayout() {
    this(ZoneId.systemDefault());
  }

  TextLogLayout(ZoneId zone) {
    this.zone = zone;
  }

  @Override
  public String doLayout(ILoggingEvent event) {
    StringBuilder line = new StringBuilder(128);
    time(line, event.getTimeStamp()).append(' ');
    String level = event.getLevel().toString();
    line.append(level).append("     ", 0, Math.max(0, 5 - level.length())).append(' ')
        .append(Printable.line(event.getFormattedMessage())).append(System.lineSeparator());
    if (event.getThrowableProxy() != null) {
      line.append(Printable.lines(ThrowableProxyUtil.asString(event.getThrowableProxy())))
          .append(System.lineSeparator());
    }
    return line.toString();
  }

  /** Appends yyyy-MM-ddTHH:mm:ss.SSS and the zone's offset then (XXX: Z or +01:00). */
  StringBuilder time(StringBuilder line, long epochMilli) {
    long epochSecond = Math.floorDiv(epochMilli, 1000);
    Second s = last;
    if (s.epochSecond() != epochSecond) {
      ZonedDateTime at = Instant.ofEpochSecond(epochSecond).atZone(zone);
      s = new Second(epochSecond, SECOND.format(at), OFFSET.format(at));
      last = s;
    }
    int milli = (int) Math.floorMod(epochMilli, 1000);
    line.append(s.time()).append('.');
    if (milli < 100) {
      line.append(milli < 10 ? "00" : "0");
    }
    return line.append(milli).append(s.offset());
  }
}
