package org.opendialer.sip;

import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The WARNING (and worse) messages that some classes log through java.util.logging during a test class. Registered
 * as a static extension ({@code @RegisterExtension static final WarningCapture WARNINGS = new
 * WarningCapture(InboundTlsSocket.class);}), it listens from before the first test until after the last.
 */
final class WarningCapture implements BeforeAllCallback, AfterAllCallback {
    /** Held: JUL keeps loggers weakly, and a collected one would lose the handler. */
    private final List<Logger> loggers;
    private final List<String> messages = new CopyOnWriteArrayList<>();
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord r) {
            if (r.getLevel().intValue() >= Level.WARNING.intValue()) {
                messages.add(r.getMessage());
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    WarningCapture(Class<?>... sources) {
        loggers = Arrays.stream(sources).map(c -> Logger.getLogger(c.getName())).toList();
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        loggers.forEach(l -> l.addHandler(handler));
    }

    @Override
    public void afterAll(ExtensionContext context) {
        loggers.forEach(l -> l.removeHandler(handler));
    }

    /** The messages so far, oldest first (a live view). */
    List<String> messages() {
        return Collections.unmodifiableList(messages);
    }

    /** Forgets the messages so far (a test calls it once its set-up's own warnings are past). */
    void clear() {
        messages.clear();
    }

    /** Waits up to {@code timeout} for a message containing {@code text}: a line may be logged a moment late. */
    void await(String text, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (messages.stream().noneMatch(w -> w.contains(text)) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }
}
