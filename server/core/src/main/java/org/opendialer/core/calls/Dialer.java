package org.opendialer.core.calls;

/**
 * One signed-in dialer (a WebSocket connection) of a user. The engine calls {@link #deliver} on its
 * own thread, in order; implementations must not block (queue the frame and return).
 */
public interface Dialer {
    long userId();

    void deliver(CallView call);

    /** The SIP side chose {@code codec} ("PCMU"/"PCMA"): this dialer should re-offer with it first. */
    default void mediaUpdate(String callId, String codec) {
    }
}
