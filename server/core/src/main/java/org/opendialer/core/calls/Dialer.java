package org.opendialer.core.calls;

/**
 * One signed-in dialer (a WebSocket connection) of a user. The engine calls {@link #deliver} on its
 * own thread, in order; implementations must not block (queue the frame and return).
 */
public interface Dialer {
    long userId();

    void deliver(CallView call);
}
