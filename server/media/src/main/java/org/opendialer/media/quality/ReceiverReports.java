package org.opendialer.media.quality;

import java.util.ArrayList;
import java.util.List;
import org.opendialer.media.rtp.RtcpPacket;

/**
 * Reads the report blocks of the SRs and RRs in an RTCP compound (RFC 3550 §6.4.1, §6.4.2) and turns
 * the far end's report on our stream into the SIP leg's figures.
 */
public final class ReceiverReports {
    private static final long NTP_UNIX_OFFSET = 2_208_988_800L;
    /** G.711's RTP clock: jitter arrives in timestamp units of 1/8000 s. */
    private static final double CLOCK_PER_MS = 8.0;

    private ReceiverReports() {
    }

    /** Every report block of every SR and RR in {@code b[off, off+len)}; a truncated packet ends the list. */
    public static List<RtcpPacket.ReportBlock> blocks(byte[] b, int off, int len) {
        List<RtcpPacket.ReportBlock> out = new ArrayList<>();
        int pos = 0;
        while (pos + 8 <= len) {
            int count = b[off + pos] & 0x1F;
            int type = b[off + pos + 1] & 0xFF;
            int length = 4 * (1 + (((b[off + pos + 2] & 0xFF) << 8) | (b[off + pos + 3] & 0xFF)));
            if (length > len - pos) {
                break;
            }
            int first = type == RtcpPacket.SR ? 28 : type == RtcpPacket.RR ? 8 : -1;
            for (int i = 0; first >= 0 && i < count && first + 24 * (i + 1) <= length; i++) {
                int o = off + pos + first + 24 * i;
                int word = readInt(b, o + 4);
                int cumulative = (word << 8) >> 8; // 24-bit signed
                out.add(new RtcpPacket.ReportBlock(readInt(b, o), (word >>> 24) & 0xFF, cumulative,
                        readInt(b, o + 8) & 0xFFFFFFFFL, readInt(b, o + 12) & 0xFFFFFFFFL,
                        readInt(b, o + 16) & 0xFFFFFFFFL, readInt(b, o + 20) & 0xFFFFFFFFL));
            }
            pos += length;
        }
        return out;
    }

    /**
     * The leg's figures from one report block received at {@code unixMillis}: loss = fraction lost / 256,
     * jitter in ms (8 kHz clock), RTT = now − LSR − DLSR (RFC 3550 §6.4.1; unknown without an LSR).
     */
    public static LegQuality quality(RtcpPacket.ReportBlock block, long unixMillis) {
        double loss = Math.round(block.fractionLost() * 1000.0 / 256) / 10.0;
        double jitter = Math.round(block.jitter() * 10 / CLOCK_PER_MS) / 10.0;
        double rtt = Double.NaN;
        if (block.lastSr() != 0) {
            long units = (ntpMiddle(unixMillis) - block.lastSr() - block.delaySinceLastSr()) & 0xFFFFFFFFL;
            // A negative difference wraps to a huge value: clock skew or a forged LSR, not a round trip.
            if (units < 65536L * 60) {
                rtt = Math.round(units * 10000.0 / 65536) / 10.0;
            }
        }
        return LegQuality.of(loss, jitter, rtt);
    }

    private static int readInt(byte[] b, int o) {
        return ((b[o] & 0xFF) << 24) | ((b[o + 1] & 0xFF) << 16) | ((b[o + 2] & 0xFF) << 8) | (b[o + 3] & 0xFF);
    }

    /** The middle 32 bits of the NTP time of {@code unixMillis} (16 bits of seconds, 16 of fraction). */
    static long ntpMiddle(long unixMillis) {
        long seconds = Math.floorDiv(unixMillis, 1000L) + NTP_UNIX_OFFSET;
        long fraction = (Math.floorMod(unixMillis, 1000L) << 32) / 1000;
        return ((seconds & 0xFFFF) << 16) | (fraction >>> 16);
    }
}
