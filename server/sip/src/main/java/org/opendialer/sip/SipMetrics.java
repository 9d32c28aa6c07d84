package org.opendialer.sip;

/**
 * What the user agent counts, for the gateway's metrics. The SIP module does not know the metrics
 * library: the gateway implements this (org.opendialer.app.metrics) and bounds the label values.
 * Called on the SIP stack's event thread: implementations must not block.
 */
public interface SipMetrics {
    SipMetrics NONE = new SipMetrics() {};

    /** A request arrived (retransmissions the stack absorbs included), e.g. "INVITE". */
    default void requestReceived(String method) {}

    /** A response arrived to one of our requests: its CSeq method and status code. */
    default void responseReceived(String method, int status) {}
}
