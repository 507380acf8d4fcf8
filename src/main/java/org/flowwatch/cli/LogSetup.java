package org.flowwatch.cli;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.rolling.TimeBasedRollingPolicy;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.flowwatch.config.ConfigException;
import org.flowwatch.config.PrivateFiles;
import org.flowwatch.text.FileProblems;
import org.slf4j.LoggerFactory;

/**
 * Sets up the agent's logs: text or JSON lines, on stderr and, with a log directory, in one file per day
 * ({@code flowwatch-YYYY-MM-DD.log}, FlowCron style).
 */
final class LogSetup {
  enum Format { TEXT, JSON }

  private LogSetup() {}

  static void apply(Format format, Path logDir) {
    LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
    Logger root = ctx.getLogger(Logger.ROOT_LOGGER_NAME);
    root.detachAndStopAllAppenders();
    root.setLevel(Level.INFO);
    // Lines are formatted and written on a logging thread, not the agent loop's. The queue blocks rather
    // than drops when full; what is still queued at kill -9 is lost, but the ledger's history keeps it.
    AsyncAppender async = new AsyncAppender();
    async.setContext(ctx);
    async.setName("async");
    async.setQueueSize(8192);
    async.setDiscardingThreshold(0);
    async.addAppender(start(new ConsoleAppender<>(), ctx, format, c -> c.setTarget("System.err")));
    if (logDir != null) {
      try {
        PrivateFiles.directory(logDir);
      } catch (IOException e) {
        throw new ConfigException("cannot write logs to " + logDir + " (--log-dir): " + FileProblems.explain(e), e);
      }
      RollingFileAppender<ILoggingEvent> file = new PrivateRollingFileAppender();
      TimeBasedRollingPolicy<ILoggingEvent> policy = new TimeBasedRollingPolicy<>();
      policy.setContext(ctx);
      policy.setParent(file);
      policy.setFileNamePattern(logDir.resolve("flowwatch-%d{yyyy-MM-dd}.log").toString());
      policy.setMaxHistory(90);
      file.setRollingPolicy(policy);
      file.setAppend(true);
      async.addAppender(start(file, ctx, format, f -> policy.start()));
    }
    async.start();
    root.addAppender(async);
  }

  /**
   * Log files are 0600 whatever the umask: each file, the first and each one a new day rolls over to, is
   * made owner-only before logback opens it (logback would make it as the umask says).
   */
  private static final class PrivateRollingFileAppender extends RollingFileAppender<ILoggingEvent> {
    @Override
    public void openFile(String fileName) throws IOException {
      PrivateFiles.file(Path.of(fileName));
      super.openFile(fileName);
    }
  }

  /** Writes out what is still queued; call before the process exits. */
  static void flush() {
    ((LoggerContext) LoggerFactory.getILoggerFactory()).stop();
  }

  private static <A extends ch.qos.logback.core.OutputStreamAppender<ILoggingEvent>> Appender<ILoggingEvent> start(
      A appender, LoggerContext ctx, Format format, java.util.function.Consumer<A> configure) {
    appender.setContext(ctx);
    appender.setName(appender.getClass().getSimpleName());
    appender.setEncoder(encoder(ctx, format));
    configure.accept(appender);
    appender.start();
    return appender;
  }

  private static Encoder<ILoggingEvent> encoder(LoggerContext ctx, Format format) {
    if (format == Format.JSON) {
      LayoutWrappingEncoder<ILoggingEvent> enc = new LayoutWrappingEncoder<>();
      JsonLogLayout layout = new JsonLogLayout();
      layout.setContext(ctx);
      layout.start();
      enc.setLayout(layout);
      enc.setCharset(StandardCharsets.UTF_8);
      enc.setContext(ctx);
      enc.start();
      return enc;
    }
    LayoutWrappingEncoder<ILoggingEvent> enc = new LayoutWrappingEncoder<>();
    TextLogLayout layout = new TextLogLayout();
    layout.setContext(ctx);
    layout.start();
    enc.setLayout(layout);
    // Labels carry a middle dot; without an explicit charset a C locale would print '?'.
    enc.setCharset(StandardCharsets.UTF_8);
    enc.setContext(ctx);
    enc.start();
    return enc;
  }
}
