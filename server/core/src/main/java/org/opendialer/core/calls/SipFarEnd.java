package org.opendialer.core.calls;

import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.function.Supplier;
import org.opendialer.media.relay.MediaSession;
import org.opendialer.sip.AudioSdp;
import org.opendialer.sip.InboundCall;
import org.opendialer.sip.MediaDirection;
import org.opendialer.sip.RtpFormat;
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
        if (!owner.call.state().isFinal()) {
            mediaKnown(owner, remote);
        }
    }

    @Override
    public void legEnded(EndReason reasonIfUnanswered, boolean remoteHangup) {
        if (owner.call.state() == CallState.ANSWERED) {
            // After the answer a BYE is a hang-up, an expired session says so; anything else (our 2xx never
            // ACKed) is a failure.
            calls.end(owner, remoteHangup ? EndReason.REMOTE_HANGUP
                    : reasonIfUnanswered == EndReason.SESSION_EXPIRED ? EndReason.SESSION_EXPIRED : EndReason.FAILED);
        } else {
            calls.end(owner, reasonIfUnanswered);
        }
    }

    /** The SIP side's SDP is known (answer, offer or re-INVITE): point the relay at it. */
    private void mediaKnown(Ongoing o, AudioSdp remote) {
        mediaKnown(o, remote, leg == null ? null : leg.localSdp());
    }

    /** As above, with {@code local} our SDP that {@code remote} answers or is answered by (its SDES key). */
    private void mediaKnown(Ongoing o, AudioSdp remote, AudioSdp local) {
        if (o.media == null || remote == null) {
            return;
        }
        if (local != null && local.secure() != remote.secure()) {
            LOG.warn("call {}: the SIP side's SDP is {} where ours is {}: not relayed", o.call.id,
                    remote.secure() ? "RTP/SAVP" : "RTP/AVP", local.secure() ? "RTP/SAVP" : "RTP/AVP");
            return;
        }
        // SRTP-SDES (RFC 4568): we send under our key, the far end under its own. Before the address, so the
        // first packet from the new address is already decrypted.
        boolean srtp = local != null && local.crypto() != null && remote.crypto() != null;
        o.media.rtpSrtp(srtp ? local.crypto().keySalt() : null, srtp ? remote.crypto().keySalt() : null);
        Optional<RtpFormat> common = remote.firstCommonCodec();
        if (common.isEmpty() || remote.port() == 0) {
            LOG.warn("call {}: the SIP side's SDP has no usable audio (port {}, formats {})",
                    o.call.id, remote.port(), remote.formats());
            return;
        }
        MediaSession.Codec law = common.get().sameCodec(RtpFormat.PCMA) ? MediaSession.Codec.PCMA
                : MediaSession.Codec.PCMU;
        o.media.rtpRemote(new InetSocketAddress(remote.address(), remote.port()), law, common.get().payloadType(),
                remote.telephoneEvent().map(RtpFormat::payloadType).orElse(-1));
        if (leg != null && leg.signallingSource() != null) {
            o.media.rtpSignallingSource(leg.signallingSource()); // its RTP may come from there (NAT)
        }
        codec = law;
        if (o.mediaOwner != null && o.media.browserCodec(o.mediaSide) != null
                && o.media.browserCodec(o.mediaSide) != law) {
            o.mediaOwner.mediaUpdate(o.call.id, law.name()); // the browser re-offers: no transcoding
        }
    }
}
