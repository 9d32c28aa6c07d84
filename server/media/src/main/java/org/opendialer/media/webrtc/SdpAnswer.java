package org.opendialer.media.webrtc;

import java.util.Objects;

/**
 * The SDP answer the gateway gives a browser (RFC 8829 §5.3). Chromium insists on ice-ufrag,
 * ice-pwd, a sha-256 fingerprint, rtcp-mux, setup:passive (it is then the DTLS client; active
 * hangs) and a host candidate, since it ignores the c=/m= address. BUNDLE/mid, ice-lite,
 * sendrecv, end-of-candidates and telephone-event are sent for correctness.
 */
public final class SdpAnswer {
    private String address = "127.0.0.1";
    private int port;
    private IceCredentials ice;
    private String fingerprint;
    private String mid = "0";
    private int audioPayloadType = 0;
    private int telephoneEventPayloadType = 101;
    private long ssrc = -1;
    private String cname = "opendialer";
    private long sessionId = System.currentTimeMillis();

    public SdpAnswer address(String address, int port) {
        this.address = address;
        this.port = port;
        return this;
    }

    public SdpAnswer ice(IceCredentials ice) {
        this.ice = ice;
        return this;
    }

    /** Upper-case hex with colons, as {@code DtlsCertificate.fingerprint()} gives it. */
    public SdpAnswer fingerprint(String sha256) {
        this.fingerprint = sha256;
        return this;
    }

    /** The a=mid of the offer's audio section, echoed so BUNDLE names the same section. */
    public SdpAnswer mid(String mid) {
        this.mid = mid;
        return this;
    }

    /** 0 for PCMU, 8 for PCMA (RFC 3551 §6). */
    public SdpAnswer audioPayloadType(int payloadType) {
        if (payloadType != 0 && payloadType != 8) {
            throw new IllegalArgumentException("only PCMU (0) and PCMA (8) are relayed");
        }
        this.audioPayloadType = payloadType;
        return this;
    }

    /** The offer's telephone-event/8000 payload type, or -1 to leave DTMF out. */
    public SdpAnswer telephoneEventPayloadType(int payloadType) {
        this.telephoneEventPayloadType = payloadType;
        return this;
    }

    public SdpAnswer ssrc(long ssrc, String cname) {
        this.ssrc = ssrc & 0xFFFFFFFFL;
        this.cname = cname;
        return this;
    }

    public SdpAnswer sessionId(long sessionId) {
        this.sessionId = sessionId;
        return this;
    }

    public String build() {
        Objects.requireNonNull(ice, "ice credentials");
        Objects.requireNonNull(fingerprint, "fingerprint");
        if (port <= 0 || port > 65535) {
            throw new IllegalStateException("port not set");
        }
        String ipVersion = address.contains(":") ? "IP6" : "IP4";
        boolean dtmf = telephoneEventPayloadType >= 0;
        StringBuilder sdp = new StringBuilder(768);
        line(sdp, "v=0");
        line(sdp, "o=- " + sessionId + " 2 IN " + ipVersion + " " + address);
        line(sdp, "s=-");
        line(sdp, "t=0 0");
        line(sdp, "a=group:BUNDLE " + mid);
        line(sdp, "a=ice-lite"); // session level (RFC 8839 §5.3)
        line(sdp, "m=audio " + port + " UDP/TLS/RTP/SAVPF " + audioPayloadType
                + (dtmf ? " " + telephoneEventPayloadType : ""));
        line(sdp, "c=IN " + ipVersion + " " + address);
        line(sdp, "a=mid:" + mid);
        line(sdp, "a=sendrecv");
        line(sdp, "a=rtcp-mux");
        line(sdp, "a=ice-ufrag:" + ice.ufrag());
        line(sdp, "a=ice-pwd:" + ice.password());
        line(sdp, "a=fingerprint:sha-256 " + fingerprint);
        line(sdp, "a=setup:passive");
        line(sdp, "a=rtpmap:" + audioPayloadType + (audioPayloadType == 0 ? " PCMU/8000" : " PCMA/8000"));
        if (dtmf) {
            line(sdp, "a=rtpmap:" + telephoneEventPayloadType + " telephone-event/8000");
            line(sdp, "a=fmtp:" + telephoneEventPayloadType + " 0-15");
        }
        line(sdp, "a=ptime:20");
        if (ssrc >= 0) {
            line(sdp, "a=ssrc:" + ssrc + " cname:" + cname);
        }
        // RFC 8839 §5.1: foundation, component 1 (RTP, muxed), UDP, host priority (RFC 8445 §5.1.2.1).
        line(sdp, "a=candidate:1 1 udp 2130706431 " + address + " " + port + " typ host");
        line(sdp, "a=end-of-candidates");
        return sdp.toString();
    }

    private static void line(StringBuilder sdp, String line) {
        sdp.append(line).append("\r\n");
    }
}
