package org.opendialer.media.rtp;

import java.nio.charset.StandardCharsets;

/**
 * The little RTCP the gateway writes itself, and the validity check before relaying RTCP it
 * did not write (RFC 3550 §6, Appendix A.2). Chromium stays connected without RTCP from us,
 * but a sender report plus SDES each second gives it round-trip statistics.
 */
public final class RtcpPacket {
    public static final int SR = 200;
    public static final int RR = 201;
    public static final int SDES = 202;
    public static final int BYE = 203;
    /** Seconds from 1900 (NTP era 0) to 1970 (RFC 5905 §6). */
    private static final long NTP_UNIX_OFFSET = 2_208_988_800L;

    private RtcpPacket() {
    }

    /**
     * A compound of an SR without report blocks and an SDES with one CNAME (RFC 3550 §6.4.1,
     * §6.5.1): the minimum a sender should send (§6.1).
     */
    public static byte[] senderReport(int ssrc, long unixMillis, long rtpTimestamp, long packetCount,
                                      long octetCount, String cname) {
        byte[] name = cname.getBytes(StandardCharsets.UTF_8);
        if (name.length > 255) {
            throw new IllegalArgumentException("CNAME longer than 255 bytes");
        }
        int chunk = (4 + 2 + name.length + 1 + 3) & ~3; // SSRC, item, at least one null, padded
        byte[] p = new byte[28 + 4 + chunk];
        p[0] = (byte) 0x80;
        p[1] = (byte) SR;
        writeShort(p, 2, 28 / 4 - 1);
        RtpPacket.writeInt(p, 4, ssrc);
        long seconds = Math.floorDiv(unixMillis, 1000L) + NTP_UNIX_OFFSET;
        long fraction = (Math.floorMod(unixMillis, 1000L) << 32) / 1000;
        RtpPacket.writeInt(p, 8, (int) seconds);
        RtpPacket.writeInt(p, 12, (int) fraction);
        RtpPacket.writeInt(p, 16, (int) rtpTimestamp);
        RtpPacket.writeInt(p, 20, (int) packetCount);
        RtpPacket.writeInt(p, 24, (int) octetCount);
        int o = 28;
        p[o] = (byte) 0x81; // one chunk
        p[o + 1] = (byte) SDES;
        writeShort(p, o + 2, (4 + chunk) / 4 - 1);
        RtpPacket.writeInt(p, o + 4, ssrc);
        p[o + 8] = 1; // CNAME
        p[o + 9] = (byte) name.length;
        System.arraycopy(name, 0, p, o + 10, name.length);
        return p; // the remaining bytes are already zero: end of item list and padding
    }

    /**
     * RFC 3550 Appendix A.2: version 2 throughout, the first packet an SR or RR without
     * padding, only the last packet padded, and the lengths adding up to the datagram.
     */
    public static boolean isValidCompound(byte[] b, int off, int len) {
        if (len < 8 || (b[off] & 0xC0) != 0x80 || (b[off] & 0x20) != 0) {
            return false;
        }
        int first = b[off + 1] & 0xFF;
        if (first != SR && first != RR) {
            return false;
        }
        int pos = 0;
        while (pos < len) {
            if (len - pos < 4 || (b[off + pos] & 0xC0) != 0x80) {
                return false;
            }
            int length = 4 * (1 + (((b[off + pos + 2] & 0xFF) << 8) | (b[off + pos + 3] & 0xFF)));
            boolean padded = (b[off + pos] & 0x20) != 0;
            pos += length;
            if (padded && pos != len) {
                return false;
            }
        }
        return pos == len;
    }

    private static void writeShort(byte[] b, int o, int v) {
        b[o] = (byte) (v >>> 8);
        b[o + 1] = (byte) v;
    }
}
