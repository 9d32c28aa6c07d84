package org.opendialer.media.relay;

import org.opendialer.media.rtp.RtpPacket;

/** RTP packets for tests. */
final class Rtp {
    private Rtp() {
    }

    static byte[] packet(int pt, int seq, long ts, int ssrc, boolean marker, byte[] payload) {
        byte[] p = new byte[12 + payload.length];
        p[0] = (byte) 0x80;
        p[1] = (byte) ((marker ? 0x80 : 0) | pt);
        RtpPacket.setSequenceNumber(p, 0, seq);
        RtpPacket.setTimestamp(p, 0, ts);
        RtpPacket.setSsrc(p, 0, ssrc);
        System.arraycopy(payload, 0, p, 12, payload.length);
        return p;
    }

    static byte[] payload(int marker) {
        byte[] payload = new byte[160];
        java.util.Arrays.fill(payload, (byte) marker);
        return payload;
    }

    static int pt(byte[] p) {
        return RtpPacket.payloadType(p, 0);
    }

    static int seq(byte[] p) {
        return RtpPacket.sequenceNumber(p, 0);
    }

    static long ts(byte[] p) {
        return RtpPacket.timestamp(p, 0);
    }

    static int ssrc(byte[] p) {
        return RtpPacket.ssrc(p, 0);
    }

    static boolean marker(byte[] p) {
        return RtpPacket.marker(p, 0);
    }
}
