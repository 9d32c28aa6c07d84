package org.opendialer.core.calls;

import java.util.Set;
import org.opendialer.media.relay.MediaSession;
import org.opendialer.sip.AudioSdp;
import org.opendialer.sip.SipAgentException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Joins two far ends so they talk to each other without the user: the far end of a user's call and a new SIP
 * leg (blind transfer to a number), or the far ends of two of the user's calls (attended transfer). Their relay
 * sessions are spliced RTP to RTP ({@link MediaSession#splice}: no decoding), the user's browser leaves both.
 * Two SIP legs become a {@link Bridge} that no user owns; a SIP leg and another user's browser become that
 * user's call with the SIP leg as its far end. Two browsers are not joined (each would need a new browser leg).
 * Engine thread only.
 */
final class FarEndJoin {
    private static final Logger LOG = LoggerFactory.getLogger(FarEndJoin.class);

    private FarEndJoin() {}

    /** One side of a join: a far end, the relay session it is in, the side the user's browser leaves, held or not. */
    record Party(FarEnd far, MediaSession media, MediaSession.Side userSide, boolean held) {
        static Party of(Ongoing o) {
            return new Party(o.far, o.media, o.mediaSide, o.held);
        }

        boolean isSip() {
            return far instanceof SipFarEnd;
        }
    }

    /** Whether the two can be joined; if not, a TRANSFER_REFUSED saying why, and nothing changed. */
    static void check(Party a, Party b) {
        for (Party p : new Party[] {a, b}) {
            if (p.media == null || !(p.far instanceof SipFarEnd || p.far instanceof ExtensionFarEnd)
                    || p.media.splicedWith() != null) {
                throw new CallException(CallException.Reason.TRANSFER_REFUSED, "This call cannot be transferred.");
            }
        }
        if (!a.isSip() && !b.isSip()) {
            throw new CallException(CallException.Reason.TRANSFER_REFUSED,
                    "Two extension calls cannot be joined; transfer one of them to the other's extension instead.");
        }
    }

    /** Joins {@code a} and {@code b} (checked); {@code bridges} holds the SIP-to-SIP bridges the engine owns. */
    static void join(Party a, Party b, Set<Bridge> bridges) {
        a.media.splice(a.userSide, b.media, b.userSide);
        a.media.hold(false); // both sessions: the user may have held either
        if (a.far instanceof SipFarEnd sa && b.far instanceof SipFarEnd sb) {
            sa.media = a.media;
            sb.media = b.media;
            Bridge bridge = new Bridge(sa, sb, bridges);
            // The leg joined later decides the codec (it just answered); the other is re-offered it if it differs.
            MediaSession.Codec law = sb.codec() != null ? sb.codec() : sa.codec();
            reoffer(sa, law, a.held);
            if (b.held) {
                reoffer(sb, sb.codec(), true);
            }
            LOG.info("SIP legs {} and {} bridged", sa.leg.callId(), sb.leg.callId());
            bridge.started();
            return;
        }
        Party sip = a.isSip() ? a : b;
        Party browser = sip == a ? b : a;
        SipFarEnd s = (SipFarEnd) sip.far;
        Ongoing peer = browser.far.browserPeer();
        s.media = sip.media;
        s.owner = peer;
        s.listener.target = s;
        peer.far = s;
        if (sip.held) {
            reoffer(s, s.codec(), true);
        }
        MediaSession.Codec browserCodec = peer.media == null ? null : peer.media.browserCodec(peer.mediaSide);
        if (s.codec() != null && browserCodec != null && browserCodec != s.codec() && peer.mediaOwner != null) {
            peer.mediaOwner.mediaUpdate(peer.call.id, s.codec().name()); // its browser re-offers: no transcoding
        }
        LOG.info("call {} now talks to SIP leg {}", peer.call.id, s.leg.callId());
    }

    /**
     * A blind transfer's caller leg {@code caller} (relay session {@code callerMedia}, already spliced with the
     * target's) and the target's leg that just answered become a {@link Bridge}; the caller is re-offered the
     * target's law when it differs.
     */
    static void bridgeSpliced(SipFarEnd caller, MediaSession callerMedia, SipFarEnd target, Set<Bridge> bridges) {
        caller.media = callerMedia;
        Bridge bridge = new Bridge(caller, target, bridges);
        reoffer(caller, target.codec() != null ? target.codec() : caller.codec(), false);
        LOG.info("SIP legs {} and {} bridged", caller.leg.callId(), target.leg.callId());
        bridge.started();
    }

    /** Re-offers {@code s}'s leg only {@code law}, and sendrecv when {@code resume}; nothing if already so. */
    private static void reoffer(SipFarEnd s, MediaSession.Codec law, boolean resume) {
        if (law == null || s.leg == null) {
            return;
        }
        AudioSdp sdp = SipMedia.reofferOnly(s.leg, law, resume);
        if (sdp == null) {
            return;
        }
        try {
            s.leg.reInvite(sdp);
        } catch (SipAgentException e) {
            LOG.warn("SIP leg {} not re-offered {} after a transfer: {}", s.leg.callId(), law, e.toString());
        }
    }
}
