package org.opendialer.core.calls;

import java.util.function.Supplier;
import org.opendialer.media.relay.MediaSession;
import org.opendialer.sip.AudioSdp;
import org.opendialer.sip.InboundCall;
import org.opendialer.sip.MediaDirection;
import org.opendialer.sip.SipAgentException;
import org.opendialer.sip.SipCall;
import org.opendialer.sip.SipUserAgent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A SIP leg toward the trunk or a PBX: the relay's side B is its RTP. Its events (answer, re-INVITE, end)
 * arrive through a {@link SipLegListener} and move the call it belongs to.
 */
final class SipFarEnd implements FarEnd, SipLegListener.Handler {
    private static final Logger LOG = LoggerFactory.getLogger(SipFarEnd.class);

    private final LiveCalls calls;
    private final SipUserAgent sip;
    private final Supplier<MediaSession> newMedia;
    /** The call this leg is the far end of; set before any of the leg's events runs. */
    Ongoing owner;
    /** The leg; set once the INVITE is sent (outbound) or on arrival (inbound). */
    SipCall leg;
    /** Follows a REFER from this leg's far end (null: REFERs are refused). */
    ReferFollower follower;
    /** While we follow this leg's REFER, the far end that replaces it; set on the engine thread. */
    ReferFollowing replacedBy;
    /** Its events' listener: a transfer that joins this leg with another SIP leg retargets it. */
    SipLegListener listener;
    /**
     * The relay session whose RTP side is this leg, once a transfer moved the leg to another user's call (whose
     * own session is spliced to this one); null while it is the owner's.
     */
    MediaSession media;
    /** The codec the SIP side chose, once its SDP is known; the browser must send the same one. */
    private MediaSession.Codec codec;

    SipFarEnd(LiveCalls calls, SipUserAgent sip, Supplier<MediaSession> newMedia) {
        this.calls = calls;
        this.sip = sip;
        this.newMedia = newMedia;
    }

    @Override
    public String callId() {
        Ongoing o = owner;
        return o == null ? null : o.call.id;
    }

    @Override
    public String answer(Ongoing o, String offerSdp) {
        if (!(leg instanceof InboundCall invite)) {
            throw new IllegalStateException("only an inbound leg is answered by us");
        }
        o.media = newMedia.get();
        AudioSdp sipAnswer;
        String browserAnswer;
        try {
            int rtpPort = MediaOffers.openRtp(o.media);
            // RFC 3264 5: an INVITE without SDP gets our offer in the 200; its answer comes in the ACK
            // (legReInvited), and the browser is answered with both laws until then.
            sipAnswer = invite.offer() == null ? sip.localOffer(rtpPort) : sip.localAnswer(invite.offer(), rtpPort);
            mediaKnown(o, invite.offer(), sipAnswer);
            browserAnswer = offerSdp == null ? null : o.acceptOffer(offerSdp, codec);
        } catch (SipAgentException | CallException e) {
            LOG.warn("call {} not answered: {}", o.call.id, e.toString());
            calls.end(o, EndReason.FAILED);
            invite.reject(488);
            if (e instanceof CallException ce && ce.reason() == CallException.Reason.INVALID_MEDIA) {
                throw ce;
            }
            return null;
        }
        invite.answer(sipAnswer);
        return browserAnswer;
    }

    @Override
    public void hangUp(Ongoing o, EndReason peerReason) {
        if (leg != null) {
            try {
                leg.hangUp();
            } catch (RuntimeException e) {
                LOG.warn("SIP hang-up of call {} failed: {}", o.call.id, e.toString());
            }
        }
    }

    @Override
    public void reject(Ongoing o, int sipStatus, EndReason peerReason) {
        if (leg instanceof InboundCall invite) {
            invite.reject(sipStatus);
        } else {
            hangUp(o, peerReason); // CANCEL
        }
    }

    @Override
    public void hold(Ongoing o, boolean held) {
        AudioSdp local = leg == null ? null : leg.localSdp();
        if (local == null) {
            return;
        }
        try {
            leg.reInvite(local.withDirection(held ? MediaDirection.SENDONLY : MediaDirection.SENDRECV).nextVersion());
        } catch (SipAgentException e) {
            throw new CallException(CallException.Reason.CALL_IN_PROGRESS,
                    "The call is being renegotiated; try again in a moment.");
        }
    }

    @Override
    public MediaSession.Codec browserCodec(Ongoing o) {
        return codec;
    }

    @Override
    public void handOver(Ongoing from, Ongoing to) {
        owner = to;
    }

    @Override
    public SipCall sipLeg() {
        return leg;
    }

    // ---- the leg's events, on the engine thread ----

    @Override
    public void sipAnsweredAt(long nanos) {
        owner.sipAnsweredAtNanos = nanos;
    }

    @Override
    public void legAnswered(AudioSdp remote) {
        if (owner.call.state() == CallState.CONNECTING) {
            mediaKnown(owner, remote);
            calls.move(owner, CallState.ANSWERED);
        }
    }

    @Override
    public void legProgress(int status, AudioSdp earlyMedia) {
        if (owner.call.state() == CallState.CONNECTING && owner.call.direction == CallDirection.OUTBOUND) {
            EarlyMedia.progress(owner, earlyMedia, () -> mediaKnown(owner, earlyMedia));
        }
    }

    @Override
    public void legReInvited(AudioSdp remote) {
        if (!owner.call.state().isFinal() && (replacedBy == null || !replacedBy.swapped())) {
            mediaKnown(owner, remote);
        }
    }

    @Override
    public void legEnded(EndReason reasonIfUnanswered, boolean remoteHangup) {
        if (replacedBy != null) {
            replacedBy.previousLegEnded(); // a leg that REFERred us: the call goes on with the new one
            return;
        }
        if (owner.blind != null && owner.blind.farEndLeftAfterRefer()) {
            return; // it accepted our REFER and went on to the target (decision 0027)
        }
        if (owner.referring != null && owner.referring.isAccepted() && owner.call.state() == CallState.ANSWERED) {
            owner.referring.legHungUp(); // it accepted our REFER and went on to the target
            return;
        }
        if (owner.call.state() == CallState.ANSWERED) {
            // After the answer a BYE is a hang-up, an expired session says so; anything else (our 2xx never
            // ACKed) is a failure.
            calls.end(owner, remoteHangup ? EndReason.REMOTE_HANGUP
                    : reasonIfUnanswered == EndReason.SESSION_EXPIRED ? EndReason.SESSION_EXPIRED : EndReason.FAILED);
        } else {
            calls.end(owner, reasonIfUnanswered);
        }
    }

    @Override
    public void legReferred(org.opendialer.sip.IncomingRefer refer) {
        if (follower == null) {
            refer.refuse(603, "Decline (transfers are not followed)");
        } else {
            try {
                follower.follow(owner, this, refer);
            } catch (RuntimeException e) {
                LOG.warn("call {}: REFER not followed: {}", owner.call.id, e.toString());
                refer.refuse(500, "Server Internal Error"); // answered, so the next REFER is not blocked
            }
        }
    }

    /** The SIP side's SDP is known (answer, offer or re-INVITE): point the relay at it. */
    void mediaKnown(Ongoing o, AudioSdp remote) {
        mediaKnown(o, remote, leg == null ? null : leg.localSdp());
    }

    /** As above, with {@code local} our SDP that {@code remote} answers or is answered by (its SDES key). */
    private void mediaKnown(Ongoing o, AudioSdp remote, AudioSdp local) {
        MediaSession m = media != null ? media : o.media;
        MediaSession.Codec law = SipMedia.point(m, leg, remote, local, "call " + o.call.id);
        if (law == null) {
            return;
        }
        codec = law;
        if (o.mediaOwner != null && o.media != null && o.media.browserCodec(o.mediaSide) != null
                && o.media.browserCodec(o.mediaSide) != law) {
            o.mediaOwner.mediaUpdate(o.call.id, law.name()); // the browser re-offers: no transcoding
        }
    }

    /** For a leg no call owns yet (a transfer's target): points {@link #media} at {@code remote}; false if unusable. */
    boolean pointed(AudioSdp remote) {
        MediaSession.Codec law = SipMedia.point(media, leg, remote, leg == null ? null : leg.localSdp(),
                "transfer leg " + (leg == null ? "" : leg.callId()));
        if (law != null) {
            codec = law;
        }
        return law != null;
    }

    /** The law this leg's relay side uses, or null before its SDP is known. */
    MediaSession.Codec codec() {
        return codec;
    }
}
