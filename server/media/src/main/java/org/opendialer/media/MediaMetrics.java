package org.opendialer.media;

/**
 * What the relay counts, for the gateway's metrics. The media module does not know the metrics
 * library: the gateway implements this (org.opendialer.app.metrics). Called on the packet path
 * and handshake threads: implementations must be cheap and never block.
 */
public interface MediaMetrics {
    MediaMetrics NONE = new MediaMetrics() {};

    /** Which way a packet went: side A of a session is the browser, side B the SIP leg (or the other browser). */
    enum Direction {
        BROWSER_TO_SIP("browser_to_sip"),
        SIP_TO_BROWSER("sip_to_browser");

        private final String label;

        Direction(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /** An RTP packet forwarded, with its payload size in bytes. */
    default void relayed(Direction direction, int payloadBytes) {}

    /** An RTP packet that arrived and was not forwarded (malformed, format not negotiated, send failure). */
    default void dropped(Direction direction) {}

    /** Packets missing by RTP sequence number (RFC 3550 A.3); a late packet after a gap still counts. */
    default void lost(Direction direction, int packets) {}

    /** An SRTP or SRTCP packet from a browser failed authentication (forged, replayed or corrupt). */
    default void srtpAuthenticationFailed() {}

    /** A browser leg's first valid ICE check, {@code nanos} after the leg was created. */
    default void iceConnected(long nanos) {}

    /** A DTLS handshake completed, {@code nanos} after its first datagram. */
    default void dtlsConnected(long nanos) {}
}
