package org.flowwatch.cli;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.LayoutBase;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import org.flowwatch.text.Printable;
import org.slf4j.event.KeyValuePair;

/**
 * One JSON object per line: time, level, message, and the event's key/value pairs (for run transitions:
 * key, state, run_id, reason) as top-level fields, so log shippers need no parsing. Message and fields are
 * {@link Printable#line printable}: Jackson would escape C0 characters anyway, but not bidi overrides or
 * C1 controls, and a viewer showing the message must not see a forged line either.
 */
final class JsonLogLayout extends LayoutBase<ILoggingEvent> {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Override
  public String doLayout(ILoggingEvent event) {
    ObjectNode line = JSON.createObjectNode();
    line.put("time", Instant.ofEpochMilli(event.getTimeStamp()).toString());
    line.put("level", event.getLevel().toString());
    line.put("logger", event.getLoggerName());
    line.put("message", Printable.line(event.getFormattedMessage()));
    if (event.getKeyValuePairs() != null) {
      for (KeyValuePair kv : event.getKeyValuePairs()) {
        line.put(kv.key, Printable.line(String.valueOf(kv.value)));
      }
    }
    if (event.getThrowableProxy() != null) {
      line.put("error", ThrowableProxyUtil.asString(event.getThrowableProxy()));
    }
    return line.toString() + System.lineSeparator();
  }
}
