package org.opendialer.core.calls;

import org.opendialer.media.quality.LegQuality;

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

    /**
     * The far end of this dialer's outbound call rings (SIP 180/183); {@code earlyMedia} when its own audio
     * is relayed before the answer, else the dialer plays a local ringback tone.
     */
    default void callProgress(String callId, boolean earlyMedia) {
    }

    /**
     * The browser profile this dialer runs in (protocol.md part 5: {@code hello.device}), or null for a
     * device of its own. Tabs of one device keep seeing a call another tab answered.
     */
    default String device() {
        return null;
    }

    /**
     * The transfer of {@code callId} failed: the target did not take it ({@code reason}: busy, declined,
     * no_answer, unreachable, failed, canceled). The call goes on as before.
     */
    default void transferFailed(String callId, EndReason reason) {
    }

    /**
     * About every 5 s while {@code callId} is answered and not held: the SIP leg's figures from the gateway's
     * RTCP (protocol.md part 4, {@code sipQuality}). Only the dialer carrying the call's audio is told.
     */
    default void sipQuality(String callId, LegQuality quality) {
    }

    /** Another dialer took over the audio of {@code callId}: this one must stop using its leg. */
    default void mediaMoved(String callId) {
    }

    /** Whether {@code a} and {@code b} are the same dialer or dialers of the same device. */
    static boolean sameDevice(Dialer a, Dialer b) {
        return a == b || a.device() != null && a.device().equals(b.device());
    }
}
