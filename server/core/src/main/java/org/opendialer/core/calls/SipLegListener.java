package org.opendialer.core.calls;

import org.opendialer.sip.AudioSdp;
import org.opendialer.sip.CallListener;
import org.opendialer.sip.IncomingRefer;
import org.opendialer.core.logging.CallLogContext;
import org.opendialer.core.logging.LogText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Turns the SIP agent's events for one leg (on its event thread) into engine tasks; never blocks. */
final class SipLegListener implements CallListener {
    private static final Logger LOG = LoggerFactory.getLogger(SipLegListener.class);
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

        /** The INVITE failed with {@code status} (0: no response) and {@code phrase}; by default {@link #legEnded}. */
        default void legFailed(EndReason reason, int status, String phrase) {
            legEnded(reason, false);
        }

        /** The far end sent a REFER (RFC 3515): accept and follow it, or refuse it. */
        default void legReferred(IncomingRefer refer) {
            refer.refuse(603, "Decline (this call cannot be transferred)");
        }

        /** The id of the call this leg belongs to, for the log context of its events; null if none yet. */
        default String callId() {
            return null;
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

    /** On the engine thread: the leg's handler, if any, with its call id in the log context. */
    private void onTarget(java.util.function.Consumer<Handler> event) {
        thread.execute(() -> {
            Handler h = target;
            if (h != null) {
                CallLogContext.run(h.callId(), () -> event.accept(h));
            }
        });
    }

    @Override
    public void answered(AudioSdp remote) {
        long received = System.nanoTime();
        onTarget(h -> {
            LOG.info("SIP: the far end answered");
            h.sipAnsweredAt(received);
            h.legAnswered(remote);
        });
    }

    @Override
    public void provisional(int status, AudioSdp earlyMedia) {
        onTarget(h -> {
            LOG.debug("SIP: {} from the far end{}", status, earlyMedia == null ? "" : " with early media");
            h.legProgress(status, earlyMedia);
        });
    }

    @Override
    public void reInvited(AudioSdp remote) {
        onTarget(h -> {
            LOG.info("SIP: the far end re-INVITEd (media {}:{}, {})", remote.address(), remote.port(), remote.direction());
            h.legReInvited(remote);
        });
    }

    @Override
    public void failed(org.opendialer.sip.EndReason reason, int status, String phrase) {
        onTarget(h -> {
            LOG.info("SIP: the call failed with {} {} ({})", status, LogText.printable(String.valueOf(phrase)), reason);
            h.legFailed(EndReason.of(reason), status, phrase);
        });
    }

    @Override
    public void sessionExpired() {
        onTarget(h -> {
            LOG.info("SIP: the session timer ran out");
            h.legEnded(EndReason.SESSION_EXPIRED, false);
        });
    }

    @Override
    public void remoteHangup() {
        onTarget(h -> {
            LOG.info("SIP: the far end hung up");
            h.legEnded(EndReason.CANCELED, true);
        });
    }

    @Override
    public void referred(IncomingRefer refer) {
        thread.execute(() -> {
            Handler h = target;
            if (h == null) {
                refer.refuse(603, "Decline (the call is not routed)");
                return;
            }
            CallLogContext.run(h.callId(), () -> {
                LOG.info("SIP: the far end sent a REFER to {}", LogText.printable(refer.target()));
                h.legReferred(refer);
            });
        });
    }
}
