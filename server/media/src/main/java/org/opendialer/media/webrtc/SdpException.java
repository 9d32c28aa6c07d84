package org.opendialer.media.webrtc;

/** An SDP offer the gateway cannot answer; the message says why, for a bad_request reply. */
public final class SdpException extends Exception {
    public SdpException(String message) {
        super(message);
    }
}
