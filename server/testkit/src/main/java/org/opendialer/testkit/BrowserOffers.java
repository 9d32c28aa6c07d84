package org.opendialer.testkit;

/** SDP audio offers shaped like a browser's (protocol.md part 4), for tests that never run DTLS. */
public final class BrowserOffers {
    private BrowserOffers() {}

    /**
     * An offer with PCMU and PCMA. {@code certificateKey} picks the {@code a=fingerprint} (a new
     * RTCPeerConnection has a new one; an ICE restart keeps it), {@code ufrag} the ICE user fragment.
     */
    public static String audioOffer(int certificateKey, String ufrag) {
        String fingerprint = String.format("%02X", certificateKey & 0xff)
                + ":BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99";
        return "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 0 8\r\n"
                + "c=IN IP4 0.0.0.0\r\na=ice-ufrag:" + ufrag + "\r\na=ice-pwd:abcdefghijklmnopqrstuvwx\r\n"
                + "a=fingerprint:sha-256 " + fingerprint + "\r\na=setup:actpass\r\na=mid:0\r\na=rtcp-mux\r\n"
                + "a=rtpmap:0 PCMU/8000\r\na=rtpmap:8 PCMA/8000\r\n";
    }

    /** {@link #audioOffer} as the inside of a JSON string literal. */
    public static String audioOfferJson(int certificateKey, String ufrag) {
        return audioOffer(certificateKey, ufrag).replace("\r\n", "\\r\\n");
    }
}
