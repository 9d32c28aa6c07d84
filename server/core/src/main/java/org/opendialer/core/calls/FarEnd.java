package org.opendialer.core.calls;

import org.opendialer.media.relay.MediaSession;

/**
 * The other end of one user's live call, with its own behaviour: a SIP leg toward the trunk or a PBX
 * ({@link SipFarEnd}), or another user's browser ({@link ExtensionFarEnd}). The engine never asks which
 * kind it talks to; a transfer replaces a call's far end. Each method gets the call it is the far end of
 * and runs on the engine thread.
 */
interface FarEnd {
    /**
     * The user answers the ringing inbound call {@code o}: accept the far side (SIP: 200 OK with our SDP) and
     * return the SDP answer to the browser's offer, or null without an offer. On failure the far end ends
     * {@code o} itself (then the engine stops) or throws a {@link CallException} for the dialer.
     */
    String answer(Ongoing o, String offerSdp);

    /** {@code o} has moved to answered after {@link #answer}: the far side learns it too. */
    default void answered(Ongoing o) {
    }

    /**
     * {@code o} ended on our side (hang-up, cancel, media timeout, shutdown): a SIP leg gets BYE or CANCEL,
     * another user's call ends with {@code peerReason}.
     */
    void hangUp(Ongoing o, EndReason peerReason);

    /**
     * The ringing call {@code o} is refused (declined, ring timeout): an inbound SIP leg is rejected with
     * {@code sipStatus}, an outbound one cancelled; another user's call ends with {@code peerReason}.
     */
    void reject(Ongoing o, int sipStatus, EndReason peerReason);

    /** Tells the far side the answered call is held or resumed (the engine has paused the relay). */
    void hold(Ongoing o, boolean held);

    /** The codec {@code o}'s browser must send so the relay need not transcode, or null for any. */
    MediaSession.Codec browserCodec(Ongoing o);

    /**
     * A transfer completed: {@code to} (the target user's call, which took over {@code from}'s side of the relay
     * session) is now the call this far end belongs to; {@code from} ends as transferred.
     */
    void handOver(Ongoing from, Ongoing to);

    /** The SIP leg a REFER goes on (DIALER_TRANSFER=refer), or null when the far end is no SIP leg. */
    default org.opendialer.sip.SipCall sipLeg() {
        return null;
    }

    /** The other user's call whose browser is the other side of the relay, or null when no browser is. */
    default Ongoing browserPeer() {
        return null;
    }
}
