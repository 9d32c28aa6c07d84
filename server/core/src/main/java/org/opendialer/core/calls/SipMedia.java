package org.opendialer.core.calls;

import java.net.InetSocketAddress;
import java.util.Optional;
import org.opendialer.media.relay.MediaSession;
import org.opendialer.sip.AudioSdp;
import org.opendialer.sip.MediaDirection;
import org.opendialer.sip.RtpFormat;
import org.opendialer.sip.SipCall;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Points a relay session's RTP side at what a SIP leg's SDP says, and re-offers a leg one codec. */
final class SipMedia {
    private static final Logger LOG = LoggerFactory.getLogger(SipMedia.class);

    private SipMedia() {}

    /**
     * The SIP side's SDP is known (answer, offer or re-INVITE): points {@code media}'s RTP side at it (SRTP keys
     * from {@code local}, our SDP it answers or is answered by, when both carry SDES) and returns
     * the law it chose, or null when the SDP has no usable audio (then nothing changes).
     */
    static MediaSession.Codec point(MediaSession media, SipCall leg, AudioSdp remote, String what) {
        return point(media, leg, remote, leg == null ? null : leg.localSdp(), what);
    }

    /** As above, with {@code local} our SDP that {@code remote} answers or is answered by (its SDES key). */
    static MediaSession.Codec point(MediaSession media, SipCall leg, AudioSdp remote, AudioSdp local, String what) {
        if (media == null || remote == null) {
            return null;
        }
        if (local != null && local.secure() != remote.secure()) {
            LOG.warn("{}: the SIP side's SDP is {} where ours is {}: not relayed", what,
                    remote.secure() ? "RTP/SAVP" : "RTP/AVP", local.secure() ? "RTP/SAVP" : "RTP/AVP");
            return null;
        }
        // SRTP-SDES (RFC 4568): we send under our key, the far end under its own. Before the address, so the
        // first packet from the new address is already decrypted.
        boolean srtp = local != null && local.crypto() != null && remote.crypto() != null;
        media.rtpSrtp(srtp ? local.crypto().keySalt() : null, srtp ? remote.crypto().keySalt() : null);
        Optional<RtpFormat> common = remote.firstCommonCodec();
        if (common.isEmpty() || remote.port() == 0) {
            LOG.warn("{}: the SIP side's SDP has no usable audio (port {}, formats {})", what, remote.port(),
                    remote.formats());
            return null;
        }
        MediaSession.Codec law = lawOf(common.get());
        media.rtpRemote(new InetSocketAddress(remote.address(), remote.port()), law, common.get().payloadType(),
                remote.telephoneEvent().map(RtpFormat::payloadType).orElse(-1));
        if (leg != null && leg.signallingSource() != null) {
            media.rtpSignallingSource(leg.signallingSource()); // its RTP may come from there (NAT)
        }
        return law;
    }

    static MediaSession.Codec lawOf(RtpFormat format) {
        return format.sameCodec(RtpFormat.PCMA) ? MediaSession.Codec.PCMA : MediaSession.Codec.PCMU;
    }

    /**
     * A re-offer of {@code leg}'s media with only {@code law} (plus telephone-event) and sendrecv: after a
     * transfer joined it to a leg that chose another law, so the relay need not transcode (RFC 3264 8).
     * Null when the leg's current SDP already says exactly that.
     */
    static AudioSdp reofferOnly(SipCall leg, MediaSession.Codec law, boolean resume) {
        AudioSdp local = leg.localSdp();
        if (local == null) {
            return null;
        }
        RtpFormat wanted = law == MediaSession.Codec.PCMA ? RtpFormat.PCMA : RtpFormat.PCMU;
        AudioSdp remote = leg.remoteSdp();
        boolean lawChanges = remote == null || remote.firstCommonCodec().map(f -> !f.sameCodec(wanted)).orElse(true);
        if (!lawChanges && !resume) {
            return null;
        }
        java.util.List<RtpFormat> formats = new java.util.ArrayList<>();
        formats.add(wanted);
        local.telephoneEvent().ifPresent(formats::add);
        return new AudioSdp(local.address(), local.port(), lawChanges ? formats : local.formats(),
                MediaDirection.SENDRECV, local.ptime(), local.sessionId(), local.sessionVersion() + 1, local.secure(),
                local.crypto());
    }
}
