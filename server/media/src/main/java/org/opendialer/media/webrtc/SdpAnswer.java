package org.opendialer.media.webrtc;

import java.util.ArrayList;
import java.util.List;
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
    private int tcpPort;
    private IceCredentials ice;
    private String fingerprint;
    private String mid = "0";
    private int[] audioPayloadTypes = {0};
    private String[] audioEncodings = {"PCMU"};
    private String direction = "sendrecv";
    private final List<SdpOffer.OtherSection> rejectedBefore = new ArrayList<>();
    private final List<SdpOffer.OtherSection> rejectedAfter = new ArrayList<>();
    private int telephoneEventPayloadType = 101;
    private long ssrc = -1;
    private String cname = "opendialer";
    private long sessionId = System.currentTimeMillis();

    public SdpAnswer address(String address, int port) {
        this.address = address;
        this.port = port;
        return this;
    }

    /** The passive ICE-TCP candidate's port (RFC 6544); 0 = none. */
    public SdpAnswer tcpPort(int tcpPort) {
        this.tcpPort = tcpPort;
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
        this.audioPayloadTypes = new int[] {payloadType};
        this.audioEncodings = new String[] {payloadType == 0 ? "PCMU" : "PCMA"};
        return this;
    }

    /**
     * The audio formats in order of preference, with the offer's payload type numbers
     * (RFC 8829 §5.3.1: an answer uses the offerer's numbers). Encodings are "PCMU" or "PCMA".
     */
    public SdpAnswer audioFormats(int[] payloadTypes, String[] encodings) {
        if (payloadTypes.length == 0 || payloadTypes.length != encodings.length) {
            throw new IllegalArgumentException("one encoding per payload type, at least one");
        }
        for (int i = 0; i < payloadTypes.length; i++) {
            if (payloadTypes[i] < 0 || payloadTypes[i] > 127 || !(encodings[i].equals("PCMU") || encodings[i].equals("PCMA"))) {
                throw new IllegalArgumentException("only PCMU and PCMA are relayed, with 7-bit payload types");
            }
        }
        this.audioPayloadTypes = payloadTypes.clone();
        this.audioEncodings = encodings.clone();
        return this;
    }

    /** Our direction: the mirror of the offer's (RFC 3264 §6.1); sendrecv unless told. */
    public SdpAnswer direction(String direction) {
        if (!List.of("sendrecv", "sendonly", "recvonly", "inactive").contains(direction)) {
            throw new IllegalArgumentException("not an SDP direction: " + direction);
        }
        this.direction = direction;
        return this;
    }

    /** Sections of the offer around the audio one, answered with port 0 (rejected, RFC 3264 §6). */
    public SdpAnswer rejected(List<SdpOffer.OtherSection> before, List<SdpOffer.OtherSection> after) {
        rejectedBefore.clear();
        rejectedBefore.addAll(before);
        rejectedAfter.clear();
        rejectedAfter.addAll(after);
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
        if (mid != null) {
            line(sdp, "a=group:BUNDLE " + mid);
        }
        line(sdp, "a=ice-lite"); // session level (RFC 8839 §5.3)
        for (SdpOffer.OtherSection other : rejectedBefore) {
            rejectedSection(sdp, other, ipVersion);
        }
        StringBuilder formats = new StringBuilder();
        for (int pt : audioPayloadTypes) {
            formats.append(' ').append(pt);
        }
        line(sdp, "m=audio " + port + " UDP/TLS/RTP/SAVPF" + formats + (dtmf ? " " + telephoneEventPayloadType : ""));
        line(sdp, "c=IN " + ipVersion + " " + address);
        if (mid != null) {
            line(sdp, "a=mid:" + mid);
        }
        line(sdp, "a=" + direction);
        line(sdp, "a=rtcp-mux");
        line(sdp, "a=ice-ufrag:" + ice.ufrag());
        line(sdp, "a=ice-pwd:" + ice.password());
        line(sdp, "a=fingerprint:sha-256 " + fingerprint);
        line(sdp, "a=setup:passive");
        for (int i = 0; i < audioPayloadTypes.length; i++) {
            line(sdp, "a=rtpmap:" + audioPayloadTypes[i] + " " + audioEncodings[i] + "/8000");
        }
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
        if (tcpPort > 0) {
            // RFC 6544 §4.2: host type preference 126, local preference 2^13 * 4 (passive) + 8191 (below UDP's
            // local preference), so a browser that reaches both prefers UDP.
            line(sdp, "a=candidate:2 1 tcp 2124414975 " + address + " " + tcpPort + " typ host tcptype passive");
        }
        line(sdp, "a=end-of-candidates");
        for (SdpOffer.OtherSection other : rejectedAfter) {
            rejectedSection(sdp, other, ipVersion);
        }
        return sdp.toString();
    }

    private static void rejectedSection(StringBuilder sdp, SdpOffer.OtherSection other, String ipVersion) {
        line(sdp, "m=" + other.media() + " 0 " + other.proto() + " " + other.formats());
        line(sdp, "c=IN " + ipVersion + (ipVersion.equals("IP6") ? " ::" : " 0.0.0.0"));
        if (other.mid() != null) {
            line(sdp, "a=mid:" + other.mid());
        }
        line(sdp, "a=inactive");
    }

    private static void line(StringBuilder sdp, String line) {
        sdp.append(line).append("\r\n");
    }
}
