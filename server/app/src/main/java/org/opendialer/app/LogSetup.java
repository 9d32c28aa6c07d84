package org.opendialer.app;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import net.logstash.logback.encoder.LogstashEncoder;
import org.slf4j.LoggerFactory;

/**
 * Applies DIALER_LOG_LEVEL and DIALER_LOG_FORMAT to logback: readable lines (as before), or one JSON
 * object per line from logstash-logback-encoder ({@code @timestamp}, {@code level}, {@code logger_name},
 * {@code message}, and the MDC keys {@code call_id} and {@code user} where set) for log shippers.
 */
public final class LogSetup {
    /** Jetty, Javalin, Hikari and Flyway narrate every start and stop at info; keep them for debugging. */
    private static final String[] CHATTY = {"org.eclipse.jetty", "io.javalin", "com.zaxxer.hikari", "org.flywaydb"};

    private LogSetup() {}

    public static void apply(String level, boolean json) {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return; // another SLF4J binding (an embedding application's): leave its configuration alone
        }
        context.reset();
        Encoder<ILoggingEvent> encoder;
        if (json) {
            LogstashEncoder logstash = new LogstashEncoder();
            logstash.setIncludeMdcKeyNames(java.util.List.of("call_id", "user"));
            logstash.setIncludeContext(false);
            encoder = logstash;
        } else {
            PatternLayoutEncoder pattern = new PatternLayoutEncoder();
            // " call=<id>" only on lines with a call id in the log context.
            pattern.setPattern("%relative [%thread] %level %logger%replace( call=%X{call_id}){' call=$', ''} - %msg%n");
            encoder = pattern;
        }
        encoder.setContext(context);
        encoder.start();
        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setContext(context);
        console.setName("console");
        console.setTarget("System.err");
        console.setEncoder(encoder);
        console.start();
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.toLevel(level, Level.INFO));
        root.addAppender(console);
        boolean verbose = level.equals("debug") || level.equals("trace");
        for (String name : CHATTY) {
            context.getLogger(name).setLevel(verbose ? Level.toLevel(level) : Level.WARN);
        }
    }
}
