package org.opendialer.media.rtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.opendialer.media.Hex;

class RtcpPacketTest {
    @Test
    void senderReportAndSdes_followTheRfc3550Layout() {
        // 2024-01-01T00:00:00.500Z; NTP seconds = unix + 2208988800, fraction 0.5 = 0x80000000
        long unixMillis = 1_704_067_200_500L;
        byte[] p = RtcpPacket.senderReport(0x11223344, unixMillis, 0xA0B0C0D0L, 50, 8000, "gw");
        assertThat(Hex.of(p)).isEqualTo(
                "80C80006" + "11223344"                    // V=2 RC=0 PT=200 length 6, SSRC
                + Long.toHexString(1_704_067_200L + 2_208_988_800L).toUpperCase() + "80000000" // NTP
                + "A0B0C0D0" + "00000032" + "00001F40"    // RTP ts, packet count, octet count
                + "81CA0003" + "11223344"                  // SDES SC=1 PT=202 length 3, chunk SSRC
                + "0102" + "6777" + "00000000");           // CNAME "gw", null terminator + padding
        assertThat(RtcpPacket.isValidCompound(p, 0, p.length)).isTrue();
        assertThat(PacketKind.of(p, 0, p.length)).isEqualTo(PacketKind.RTCP);
    }

    @Test
    void sdesChunkAlwaysEndsWithANullOctet_evenWhenTheNameFillsTheWord() {
        byte[] p = RtcpPacket.senderReport(1, 0, 0, 0, 0, "ab"); // 4 + 2 + 2 = 8: needs a whole extra word
        assertThat(p).hasSize(28 + 4 + 12);
        assertThat(p[p.length - 1]).isZero();
        byte[] q = RtcpPacket.senderReport(1, 0, 0, 0, 0, "abc"); // 4 + 2 + 3 + 1 = 10 → 12
        assertThat(q).hasSize(28 + 4 + 12);
        assertThat(RtcpPacket.isValidCompound(q, 0, q.length)).isTrue();
    }

    @Test
    void compoundValidity_perAppendixA2() {
        byte[] good = RtcpPacket.senderReport(7, 0, 0, 0, 0, "x");
        assertThat(RtcpPacket.isValidCompound(good, 0, good.length)).isTrue();
        assertThat(RtcpPacket.isValidCompound(good, 0, good.length - 4)).as("lengths do not add up").isFalse();
        byte[] sdesFirst = Arrays.copyOfRange(good, 28, good.length);
        assertThat(RtcpPacket.isValidCompound(sdesFirst, 0, sdesFirst.length)).as("must start with SR/RR").isFalse();
        byte[] paddedFirst = good.clone();
        paddedFirst[0] |= 0x20;
        assertThat(RtcpPacket.isValidCompound(paddedFirst, 0, paddedFirst.length)).isFalse();
        byte[] badVersion = good.clone();
        badVersion[28] = 0x41;
        assertThat(RtcpPacket.isValidCompound(badVersion, 0, badVersion.length)).isFalse();
        byte[] rr = Hex.bytes("80C90001 00000007");
        assertThat(RtcpPacket.isValidCompound(rr, 0, rr.length)).isTrue();
        byte[] huge = Hex.bytes("80C9FFFF 00000007");
        assertThat(RtcpPacket.isValidCompound(huge, 0, huge.length)).isFalse();
    }
}
