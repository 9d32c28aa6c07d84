package org.opendialer.sip;

/**
 * Events of one call. Called on the agent's single event thread, in order; implementations must not
 * block. Exactly one of {@link #failed} or {@link #remoteHangup} ends a call unless we hang up first;
 * after our own {@link SipCall#hangUp()} only a pending {@code failed(CANCELED)} is reported.
 */
public interface CallListener {
    /** A 180 or 183 arrived (outbound); {@code earlyMedia} is its SDP, or null. */
    default void provisional(int status, AudioSdp earlyMedia) {
    }

    /** The far end answered with this SDP. */
    default void answered(AudioSdp remote) {
    }

    /**
     * The call ended before an answer. {@code status} is the SIP final response (0 when there was none),
     * e.g. {@code failed(BUSY, 486, "Busy Here")} or {@code failed(UNREACHABLE, 0, "timeout")}.
     */
    default void failed(EndReason reason, int status, String reasonPhrase) {
    }

    /** The far end sent BYE after the answer, or stopped answering (no ACK for our 2xx, re-INVITE timed out). */
    default void remoteHangup() {
    }

    /**
     * The session expired (RFC 4028): the far end stopped refreshing it, or our refresh failed for good. We sent
     * BYE. Defaults to {@link #remoteHangup()}.
     */
    default void sessionExpired() {
        remoteHangup();
    }

    /**
     * The far end's media changed or became known after the answer: it re-INVITEd (e.g. hold:
     * {@code remote.direction() == SENDONLY}; we answered already), or its ACK answered the offer we sent in a 2xx.
     */
    default void reInvited(AudioSdp remote) {
    }

    /**
     * The far end sent a REFER (RFC 3515) asking us to call {@link IncomingRefer#target()}: accept or refuse it
     * at once. Defaults to refusing it (603).
     */
    default void referred(IncomingRefer refer) {
        refer.refuse(603, "Decline (transfers are not followed)");
    }
}
