package org.opendialer.core.calls;

import org.opendialer.media.relay.MediaSession;
import org.opendialer.sip.AudioSdp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The new SIP leg of a blind transfer to a number ({@link BlindTransfer} for a SIP caller,
 * {@link BrowserCallerTransfer} for a browser caller): its relay session is spliced to the caller's, and its
 * responses become the transfer's ring, answer or failure. Engine thread only.
 */
final class TransferTargetLeg implements SipLegListener.Handler {
    private static final Logger LOG = LoggerFactory.getLogger(TransferTargetLeg.class);

    /** What a transfer does with its target leg's progress. */
    interface Transfer {
        /** Where the transfer is: RINGING waits for this target's answer, DONE wants nothing more of it. */
        BlindTransfer.Phase phase();

        /** The target rings (its first 18x, or a 200 without one). */
        void rang();

        /** The target answered and its media is pointed: the caller and the target talk. */
        void targetAnswered();

        /** The target failed, before or after it rang. */
        void targetFailed(EndReason reason);

        /** The call the log lines name: the user's call being transferred. */
        String callId();
    }

    /** The leg (its {@code media} the target's own relay session; its {@code leg} set once the INVITE is sent). */
    final SipFarEnd leg;
    private final MediaSession callerMedia;
    private final Transfer transfer;

    TransferTargetLeg(SipFarEnd leg, MediaSession callerMedia, Transfer transfer) {
        this.leg = leg;
        this.callerMedia = callerMedia;
        this.transfer = transfer;
    }

    /** Gives the target up: CANCEL while it rings, BYE after a late 200; its relay session is closed. */
    void drop() {
        try {
            leg.leg.hangUp();
        } catch (RuntimeException e) {
            LOG.warn("transfer leg of call {} not ended: {}", transfer.callId(), e.toString());
        }
        release();
    }

    /** Closes the target's relay session, unspliced first (closing a spliced session closes both). */
    void release() {
        if (callerMedia.splicedWith() == leg.media) {
            callerMedia.unsplice();
        }
        leg.media.close();
    }

    @Override
    public void legProgress(int status, AudioSdp earlyMedia) {
        if (earlyMedia != null && transfer.phase() != BlindTransfer.Phase.DONE) {
            leg.pointed(earlyMedia); // its RTP reaches the caller and ends our ringback
        }
        transfer.rang();
    }

    @Override
    public void legAnswered(AudioSdp remote) {
        transfer.rang(); // a 200 without a 18x before it
        if (transfer.phase() != BlindTransfer.Phase.RINGING) {
            drop(); // too late: the transfer was given up
            return;
        }
        if (!leg.pointed(remote)) {
            drop();
            transfer.targetFailed(EndReason.FAILED);
            return;
        }
        transfer.targetAnswered();
    }

    @Override
    public void legReInvited(AudioSdp remote) {
        leg.pointed(remote);
    }

    @Override
    public void legEnded(EndReason reasonIfUnanswered, boolean remoteHangup) {
        transfer.targetFailed(reasonIfUnanswered);
    }

    @Override
    public String callId() {
        return transfer.callId();
    }
}
