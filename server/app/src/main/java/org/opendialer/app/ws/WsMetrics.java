package org.opendialer.app.ws;

/** What the WebSocket layer counts (implemented by org.opendialer.app.metrics). */
public interface WsMetrics {
    WsMetrics NONE = new WsMetrics() {};

    default void connectionOpened() {}

    default void frameReceived() {}

    default void frameSent() {}

    default void error() {}

    /** @param outcome "ok", or the protocol error code the request failed with */
    default void signIn(String method, String outcome) {}

    /** A placeCall request handled: the INVITE is sent (or the callee rung) when it returns. */
    default void placeCallHandled(long nanos) {}
}
