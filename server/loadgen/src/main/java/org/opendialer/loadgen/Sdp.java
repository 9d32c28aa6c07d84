package org.opendialer.loadgen;

import java.net.InetSocketAddress;

/** The few SDP lines the load generator writes (a browser's offer) and reads (the relay's answer). */
final class Sdp {
    private Sdp() {
    }

    /** An offer shaped like Chromium's for one PCMU audio section, with one loopback host candidate. */
    static String browserOffer(long sessionId, int port, String ufrag, String pwd, String fingerprint, int ssrc) {
        return "v=0\r\n"
                + "o=- " + sessionId + " 2 IN IP4 127.0.0.1\r\n"
                + "s=-\r\n"
                + "t=0 0\r\n"
                + "a=group:BUNDLE 0\r\n"
                + "a=msid-semantic: WMS loadgen\r\n"
                + "m=audio " + port + " UDP/TLS/RTP/SAVPF 0 101\r\n"
                + "c=IN IP4 127.0.0.1\r\n"
                + "a=candidate:1 1 udp 2130706431 127.0.0.1 " + port + " typ host\r\n"
                + "a=ice-ufrag:" + ufrag + "\r\n"
                + "a=ice-pwd:" + pwd + "\r\n"
                + "a=fingerprint:sha-256 " + fingerprint + "\r\n"
                + "a=setup:actpass\r\n"
                + "a=mid:0\r\n"
                + "a=sendrecv\r\n"
                + "a=rtcp-mux\r\n"
                + "a=rtpmap:0 PCMU/8000\r\n"
                + "a=rtpmap:101 telephone-event/8000\r\n"
                + "a=fmtp:101 0-15\r\n"
                + "a=ssrc:" + Integer.toUnsignedString(ssrc) + " cname:loadgen\r\n";
    }

    /** A SIP phone's plain-RTP SDP (what a trunk sends back). */
    static String plainRtp(long sessionId, int port) {
        return "v=0\r\n"
                + "o=- " + sessionId + " 1 IN IP4 127.0.0.1\r\n"
                + "s=-\r\n"
                + "c=IN IP4 127.0.0.1\r\n"
                + "t=0 0\r\n"
                + "m=audio " + port + " RTP/AVP 0 101\r\n"
                + "a=rtpmap:0 PCMU/8000\r\n"
                + "a=rtpmap:101 telephone-event/8000\r\n"
                + "a=sendrecv\r\n";
    }

    static String attribute(String sdp, String name) {
        for (String line : sdp.split("\r?\n")) {
            if (line.startsWith("a=" + name + ":")) {
                return line.substring(name.length() + 3).trim();
            }
        }
        return null;
    }

    /** The first UDP host candidate of component 1, else c= and m=. */
    static InetSocketAddress mediaAddress(String sdp) {
        String host = null;
        int port = -1;
        for (String line : sdp.split("\r?\n")) {
            if (line.startsWith("a=candidate:")) {
                String[] f = line.substring(12).trim().split(" ");
                if (f.length >= 8 && f[1].equals("1") && f[2].equalsIgnoreCase("udp")) {
                    return new InetSocketAddress(f[4], Integer.parseInt(f[5]));
                }
            } else if (line.startsWith("c=IN IP4 ")) {
                host = line.substring(9).trim();
            } else if (line.startsWith("m=audio ")) {
                port = Integer.parseInt(line.split(" ")[1]);
            }
        }
        if (host == null || port < 0) {
            throw new IllegalArgumentException("no media address in SDP:\n" + sdp);
        }
        return new InetSocketAddress(host, port);
    }
}
