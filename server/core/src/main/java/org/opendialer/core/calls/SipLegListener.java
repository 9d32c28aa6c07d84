package org.opendialer.core.calls;

import org.opendialer.sip.AudioSdp;
import org.opendialer.sip.CallListener;

/** Turns the SIP agent's events for one leg (on its event thread) into engine tasks; never blocks. */
final class SipLegListener implements CallListener {
    /** What the engine does with a leg's events, on its own thread. */
    interface Handler {
        void legAnswered(Ongoing o, AudioSdp remote);

        /** The far end changed its media (re-INVITE): new address, codec or direction. */
        void legReInvited(Ongoing o, AudioSdp remote);

        void legEnded(Ongoing o, EndReason reasonIfUnanswered, boolean remoteHangup);
    }

    private final EngineThread thread;
    private final Handler handler;
    /** Set on the engine thread before any event task for it runs (inbound: when routed; null if refused). */
    Ongoing target;

    SipLegListener(EngineThread thread, Handler handler, Ongoing target) {
        this.thread = thread;
        this.handler = handler;
        this.target = target;
    }

    @Override
    public void answered(AudioSdp remote) {
        long received = System.nanoTime();
        thread.execute(() -> {
            if (target != null) {
                target.sipAnsweredAtNanos = received;
                handler.legAnswered(target, remote);
            }
        });
    }

    @Override
    public void reInvited(AudioSdp remote) {
        thread.execute(() -> {
            if (target != null) {
                handler.legReInvited(target, remote);
            }
        });
    }

    @Override
    public void failed(org.opendialer.sip.EndReason reason, int status, String phrase) {
        thread.execute(() -> {
            if (target != null) {
                handler.legEnded(target, EndReason.of(reason), false);
            }
        });
    }

    @Override
    public void remoteHangup() {
        thread.execute(() -> {
            if (target != null) {
                handler.legEnded(target, EndReason.CANCELED, true);
            }
        });
    }
}
