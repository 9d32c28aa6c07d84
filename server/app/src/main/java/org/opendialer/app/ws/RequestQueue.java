package org.opendialer.app.ws;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection's requests, handled one at a time in the order they arrived, each answered before the
 * next is handled, as if every method answered at once. A method that answers later (a password
 * sign-in, checked on the Argon2 pool) frees the WebSocket's thread at once: the frames that arrive
 * meanwhile wait here (at most {@link #MAX_WAITING}) and are handled on {@code later} once it has been
 * answered. So a request sent right after {@code signIn} sees its session, responses come in request
 * order, and no thread ever waits for a password check.
 */
public final class RequestQueue {
    private static final Logger LOG = LoggerFactory.getLogger(RequestQueue.class);
    /** Frames a connection may send while one of its requests is unanswered; one more closes it (1008). */
    public static final int MAX_WAITING = 64;

    private final DialerConnection connection;
    private final MethodDispatcher dispatcher;
    private final Executor later;
    private final Runnable overflow;
    private final Deque<String> waiting = new ArrayDeque<>();
    private boolean busy;

    /** {@code overflow} runs (once per excess frame) when a frame arrives with {@link #MAX_WAITING} waiting. */
    RequestQueue(DialerConnection connection, MethodDispatcher dispatcher, Executor later, Runnable overflow) {
        this.connection = connection;
        this.dispatcher = dispatcher;
        this.later = later;
        this.overflow = overflow;
    }

    /** Handles the frame now (on the caller's thread) or after the requests before it. */
    void accept(String frame) {
        synchronized (this) {
            if (busy) {
                if (waiting.size() >= MAX_WAITING) {
                    overflow.run();
                } else {
                    waiting.add(frame);
                }
                return;
            }
            busy = true;
        }
        run(frame);
    }

    /** Whether a request is being handled or waits for its answer (the sign-in window does not close it then). */
    synchronized boolean busy() {
        return busy;
    }

    private void run(String first) {
        String frame = first;
        while (frame != null) {
            CompletableFuture<String> reply = dispatcher.handle(connection, frame);
            if (!reply.isDone()) {
                reply.whenCompleteAsync((text, e) -> {
                    send(text, e);
                    String next = next();
                    if (next != null) {
                        run(next);
                    }
                }, later);
                return;
            }
            send(reply.getNow(null), null);
            frame = next();
        }
    }

    private synchronized String next() {
        if (connection.closed()) {
            waiting.clear(); // nobody reads the answers any more
        }
        String next = waiting.poll();
        busy = next != null;
        return next;
    }

    private void send(String text, Throwable e) {
        if (e != null || text == null) {
            LOG.error("a WebSocket request was not answered", e); // the dispatcher maps every failure: a bug
            return;
        }
        try {
            connection.sendText(text);
        } catch (RuntimeException sendFailed) {
            LOG.debug("answer not sent (connection closing): {}", sendFailed.toString());
        }
    }
}
