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
     * One reception report block (RFC 3550 §6.4.1) about a stream the reporter receives.
     *
     * @param ssrc           the source reported on
     * @param fractionLost   lost since the last report, in 1/256 (0–255)
     * @param cumulativeLost packets lost since the start (24-bit signed, clamped)
     * @param highestSeq     extended highest sequence number received
     * @param jitter         interarrival jitter in timestamp units
     * @param lastSr         middle 32 bits of the NTP time of the last SR from that source, 0 if none
     * @param delaySinceLastSr time since that SR arrived, in 1/65536 s, 0 if none
     */
    public record ReportBlock(int ssrc, int fractionLost, int cumulativeLost, long highestSeq, long jitter,
                              long lastSr, long delaySinceLastSr) {
    }

    /**
     * An SR (when {@code sender}) or RR with at most one report block, followed by an SDES
     * CNAME (RFC 3550 §6.1: every compound starts with SR or RR and carries a CNAME). The
     * sender fields are ignored for an RR.
     */
    public static byte[] report(int ssrc, boolean sender, long unixMillis, long rtpTimestamp, long packetCount,
                                long octetCount, ReportBlock block, String cname) {
        byte[] name = cname.getBytes(StandardCharsets.UTF_8);
        if (name.length > 255) {
            throw new IllegalArgumentException("CNAME longer than 255 bytes");
        }
        int first = 8 + (sender ? 20 : 0) + (block != null ? 24 : 0);
        int chunk = (4 + 2 + name.length + 1 + 3) & ~3;
        byte[] p = new byte[first + 4 + chunk];
        p[0] = (byte) (0x80 | (block != null ? 1 : 0));
        p[1] = (byte) (sender ? SR : RR);
        writeShort(p, 2, first / 4 - 1);
        RtpPacket.writeInt(p, 4, ssrc);
        int o = 8;
        if (sender) {
            long seconds = Math.floorDiv(unixMillis, 1000L) + NTP_UNIX_OFFSET;
            long fraction = (Math.floorMod(unixMillis, 1000L) << 32) / 1000;
            RtpPacket.writeInt(p, 8, (int) seconds);
            RtpPacket.writeInt(p, 12, (int) fraction);
            RtpPacket.writeInt(p, 16, (int) rtpTimestamp);
            RtpPacket.writeInt(p, 20, (int) packetCount);
            RtpPacket.writeInt(p, 24, (int) octetCount);
            o = 28;
        }
        if (block != null) {
            RtpPacket.writeInt(p, o, block.ssrc());
            int lost = Math.max(-0x800000, Math.min(0x7FFFFF, block.cumulativeLost()));
            RtpPacket.writeInt(p, o + 4, (Math.max(0, Math.min(255, block.fractionLost())) << 24) | (lost & 0xFFFFFF));
            RtpPacket.writeInt(p, o + 8, (int) block.highestSeq());
            RtpPacket.writeInt(p, o + 12, (int) Math.min(block.jitter(), 0xFFFFFFFFL));
            RtpPacket.writeInt(p, o + 16, (int) block.lastSr());
            RtpPacket.writeInt(p, o + 20, (int) Math.min(block.delaySinceLastSr(), 0xFFFFFFFFL));
            o += 24;
        }
        p[o] = (byte) 0x81;
        p[o + 1] = (byte) SDES;
        writeShort(p, o + 2, (4 + chunk) / 4 - 1);
        RtpPacket.writeInt(p, o + 4, ssrc);
        p[o + 8] = 1; // CNAME
        p[o + 9] = (byte) name.length;
        System.arraycopy(name, 0, p, o + 10, name.length);
        return p;
    }

    /**
     * The middle 32 bits of the NTP timestamp of the first SR in a valid compound (what a
     * report block echoes as LSR, RFC 3550 §6.4.1), or -1 when the compound has no SR.
     */
    public static long senderReportNtpMiddle(byte[] b, int off, int len) {
        int pos = 0;
        while (pos + 4 <= len) {
            int length = 4 * (1 + (((b[off + pos + 2] & 0xFF) << 8) | (b[off + pos + 3] & 0xFF)));
            if ((b[off + pos + 1] & 0xFF) == SR && length >= 28 && pos + 28 <= len) {
                return RtpPacket.readInt(b, off + pos + 10) & 0xFFFFFFFFL;
            }
            pos += length;
        }
        return -1;
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
