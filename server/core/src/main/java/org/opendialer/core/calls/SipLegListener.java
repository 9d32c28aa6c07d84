package org.opendialer.core.calls;

import org.opendialer.sip.AudioSdp;
import org.opendialer.sip.CallListener;
import org.opendialer.sip.IncomingRefer;

/** Turns the SIP agent's events for one leg (on its event thread) into engine tasks; never blocks. */
final class SipLegListener implements CallListener {
    /** What a leg's events do, on the engine thread. */
    interface Handler {
        void legAnswered(AudioSdp remote);

        /** System.nanoTime() when the 2xx arrived, told just before {@link #legAnswered} (for metrics). */
        default void sipAnsweredAt(long nanos) {}
        /** A 180/183 of an outbound call; {@code earlyMedia} is its SDP, or null. */
        void legProgress(int status, AudioSdp earlyMedia);

        /** The far end changed its media (re-INVITE): new address, codec or direction. */
        void legReInvited(AudioSdp remote);

        void legEnded(EndReason reasonIfUnanswered, boolean remoteHangup);

        /** The far end sent a REFER (RFC 3515): accept and follow it, or refuse it. */
        default void legReferred(IncomingRefer refer) {
            refer.refuse(603, "Decline (this call cannot be transferred)");
        }
    }

    private final EngineThread thread;
    /**
     * Set on the engine thread before any event task for it runs (inbound: when routed; null if refused);
     * may be replaced there (a transfer hands the leg to another handler).
     */
    Handler target;

    SipLegListener(EngineThread thread, Handler target) {
        this.thread = thread;
        this.target = target;
    }

    @Override
    public void answered(AudioSdp remote) {
        long received = System.nanoTime();
        thread.execute(() -> {
            if (target != null) {
                target.sipAnsweredAt(received);
                target.legAnswered(remote);
            }
        });
    }

    @Override
    public void provisional(int status, AudioSdp earlyMedia) {
        thread.execute(() -> {
            if (target != null) {
                target.legProgress(status, earlyMedia);
            }
        });
    }

    @Override
    public void reInvited(AudioSdp remote) {
        thread.execute(() -> {
            if (target != null) {
                target.legReInvited(remote);
            }
        });
    }

    @Override
    public void failed(org.opendialer.sip.EndReason reason, int status, String phrase) {
        thread.execute(() -> {
            if (target != null) {
                target.legEnded(EndReason.of(reason), false);
            }
        });
    }

    @Override
    public void sessionExpired() {
        thread.execute(() -> {
            if (target != null) {
                target.legEnded(EndReason.SESSION_EXPIRED, false);
            }
        });
    }

    @Override
    public void remoteHangup() {
        thread.execute(() -> {
            if (target != null) {
                target.legEnded(EndReason.CANCELED, true);
            }
        });
    }

    @Override
    public void referred(IncomingRefer refer) {
        thread.execute(() -> {
            if (target != null) {
                target.legReferred(refer);
            } else {
                refer.refuse(603, "Decline (the call is not routed)");
            }
        });
    }
}
