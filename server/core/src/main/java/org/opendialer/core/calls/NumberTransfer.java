package org.opendialer.core.calls;

import java.util.concurrent.ScheduledFuture;
import java.util.function.Consumer;
import org.opendialer.sip.AudioSdp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A blind transfer to a phone number in bridge mode while the target rings: a new outbound SIP leg whose relay
 * session's RTP side waits to be spliced to the call being transferred ({@code from}). The caller stays with the
 * user until the target answers; then {@code onAnswered} joins the two (FarEndJoin) and the user's call ends
 * {@code transferred}. If the target does not answer, nothing of {@code from} changed and its dialers are told
 * why ({@link Dialer#transferFailed}). Engine thread only.
 */
final class NumberTransfer implements SipLegListener.Handler {
    private static final Logger LOG = LoggerFactory.getLogger(NumberTransfer.class);

    private final LiveCalls calls;
    private final Ongoing from;
    /** The target's leg; its {@code media} is the new relay session (side B its RTP, side A spliced later). */
    final SipFarEnd target;
    private final Consumer<NumberTransfer> onAnswered;
    ScheduledFuture<?> ringTimer;

    NumberTransfer(LiveCalls calls, Ongoing from, SipFarEnd target, Consumer<NumberTransfer> onAnswered) {
        this.calls = calls;
        this.from = from;
        this.target = target;
        this.onAnswered = onAnswered;
    }

    Ongoing from() {
        return from;
    }

    @Override
    public void legAnswered(AudioSdp remote) {
        if (from.numberTransfer != this) {
            drop(); // cancelled (the call ended) while the 200 was on its way
            return;
        }
        stopTimer();
        from.numberTransfer = null;
        if (!target.pointed(remote)) {
            drop();
            failed(EndReason.FAILED);
            return;
        }
        onAnswered.accept(this);
    }

    @Override
    public void legProgress(int status, AudioSdp earlyMedia) {
        LOG.debug("transfer of call {}: the target answers {}", from.call.id, status);
    }

    @Override
    public void legReInvited(AudioSdp remote) {
        target.pointed(remote);
    }

    @Override
    public void legEnded(EndReason reasonIfUnanswered, boolean remoteHangup) {
        target.media.close();
        if (from.numberTransfer == this) {
            stopTimer();
            from.numberTransfer = null;
            failed(reasonIfUnanswered);
        }
    }

    /** The target rang too long: CANCEL, and the user keeps the call. */
    void ringTimedOut() {
        if (from.numberTransfer == this) {
            from.numberTransfer = null;
            drop();
            failed(EndReason.NO_ANSWER);
        }
    }

    /** The call being transferred ended first: the target stops ringing. */
    void cancel() {
        from.numberTransfer = null;
        stopTimer();
        drop();
    }

    private void drop() {
        try {
            target.leg.hangUp(); // CANCEL while it rings, BYE after a late 200
        } catch (RuntimeException e) {
            LOG.warn("transfer leg of call {} not ended: {}", from.call.id, e.toString());
        }
        target.media.close();
    }

    private void stopTimer() {
        if (ringTimer != null) {
            ringTimer.cancel(false);
        }
    }

    private void failed(EndReason reason) {
        LOG.info("transfer of call {} failed: {}", from.call.id, reason.wire());
        calls.events().transferFailed(from, reason);
    }
}
