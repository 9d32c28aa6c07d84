package org.opendialer.app.ws;

import java.util.Optional;
import java.util.function.Consumer;
import org.opendialer.core.accounts.Session;

/**
 * The gateway's side of one dialer WebSocket: who is signed in on it and how to send to it.
 * Requests are handled one at a time ({@link RequestQueue}), but events (from a call engine) and the
 * answers of requests that complete later (a password sign-in) may be sent from other threads.
 */
public final class DialerConnection {
    private final String remoteAddress;
    private final Consumer<String> textSender;
    private final ProtocolCodec codec;
    private Session session;
    private String device;
    /** System.nanoTime() since when no session is signed in on this connection; null while one is. */
    private Long anonymousSince = System.nanoTime();
    private volatile boolean closed;

    public DialerConnection(String remoteAddress, Consumer<String> textSender, ProtocolCodec codec) {
        this.remoteAddress = remoteAddress;
        this.textSender = textSender;
        this.codec = codec;
    }

    public String remoteAddress() {
        return remoteAddress;
    }

    /** The browser profile the dialer said it runs in ({@code hello.device}), or null. */
    public synchronized String device() {
        return device;
    }

    public synchronized void device(String id) {
        this.device = id;
    }

    public synchronized Optional<Session> session() {
        return Optional.ofNullable(session);
    }

    public synchronized void signedIn(Session newSession) {
        this.session = newSession;
        this.anonymousSince = newSession == null ? System.nanoTime() : null;
    }

    /** Whether no session has been signed in on this connection for at least {@code nanos}. */
    public synchronized boolean anonymousFor(long nanos) {
        return anonymousSince != null && System.nanoTime() - anonymousSince >= nanos;
    }

    public synchronized boolean anonymous() {
        return session == null;
    }

    /** Marks the connection anonymous and returns the session it had, if any. */
    public synchronized Optional<Session> signedOut() {
        Session previous = session;
        session = null;
        if (previous != null) {
            anonymousSince = System.nanoTime();
        }
        return Optional.ofNullable(previous);
    }

    /** The WebSocket closed; a sign-in answered after this does not register the connection. */
    public void markClosed() {
        closed = true;
    }

    public boolean closed() {
        return closed;
    }

    public void sendEvent(Object event) {
        sendText(codec.event(event));
    }

    public void sendText(String frame) {
        textSender.accept(frame);
    }
}
