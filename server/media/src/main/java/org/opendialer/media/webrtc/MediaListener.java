package org.opendialer.media.webrtc;

/**
 * What a {@link WebRtcLeg} reports. Called on the endpoint's receive thread (media) or a
 * handshake thread (state): implementations must not block.
 */
public interface MediaListener {
    /** A decrypted RTP packet; the array is the listener's to keep or rewrite. */
    void onRtp(WebRtcLeg leg, byte[] rtp);

    /** A decrypted RTCP compound packet. */
    default void onRtcp(WebRtcLeg leg, byte[] rtcp) {
    }

    /** ICE validated and DTLS-SRTP keys in place: media can flow both ways. */
    default void onConnected(WebRtcLeg leg) {
    }

    /** The handshake failed, the peer closed DTLS, or the leg was closed locally. */
    default void onClosed(WebRtcLeg leg, String reason) {
    }
}
