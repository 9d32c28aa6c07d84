package org.opendialer.media.rtp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RtpRewriterTest {
    static final int OUT = 0x0D1A1E12;
    final RtpRewriter rewriter = new RtpRewriter(OUT);

    static byte[] packet(int ssrc, int seq, long ts, int pt) {
        byte[] p = new byte[12 + 4];
        p[0] = (byte) 0x80;
        p[1] = (byte) pt;
        RtpPacket.setSequenceNumber(p, 0, seq);
        RtpPacket.setTimestamp(p, 0, ts);
        RtpPacket.setSsrc(p, 0, ssrc);
        return p;
    }

    byte[] relay(int ssrc, int seq, long ts) {
        byte[] p = packet(ssrc, seq, ts, 0);
        assertThat(rewriter.rewrite(p, 0, p.length)).isTrue();
        assertThat(RtpPacket.ssrc(p, 0)).isEqualTo(OUT);
        return p;
    }

    @Test
    void firstSourcePassesThroughWithOnlyTheSsrcChanged() {
        byte[] p = relay(111, 5000, 80000);
        assertThat(RtpPacket.sequenceNumber(p, 0)).isEqualTo(5000);
        assertThat(RtpPacket.timestamp(p, 0)).isEqualTo(80000);
        assertThat(RtpPacket.marker(p, 0)).isFalse();
    }

    @Test
    void sourceSwitch_continuesSequenceAndTimestamp_andSetsMarker() {
        relay(111, 5000, 80000);
        relay(111, 5001, 80160);
        byte[] first = relay(222, 17, 999_000);
        assertThat(RtpPacket.sequenceNumber(first, 0)).isEqualTo(5002);
        assertThat(RtpPacket.timestamp(first, 0)).isEqualTo(80320);
        assertThat(RtpPacket.marker(first, 0)).isTrue();
        byte[] second = relay(222, 18, 999_160);
        assertThat(RtpPacket.sequenceNumber(second, 0)).isEqualTo(5003);
        assertThat(RtpPacket.timestamp(second, 0)).isEqualTo(80480);
        assertThat(RtpPacket.marker(second, 0)).isFalse();
    }

    @Test
    void gapsAndReorderingWithinASource_arePreserved() {
        relay(111, 100, 1000);
        byte[] skipped = relay(111, 103, 1480);
        byte[] late = relay(111, 102, 1320);
        assertThat(RtpPacket.sequenceNumber(skipped, 0)).isEqualTo(103);
        assertThat(RtpPacket.sequenceNumber(late, 0)).isEqualTo(102);
        assertThat(RtpPacket.timestamp(late, 0)).isEqualTo(1320);
        // a switch after the late packet still continues from the highest one sent
        byte[] next = relay(333, 1, 1);
        assertThat(RtpPacket.sequenceNumber(next, 0)).isEqualTo(104);
        assertThat(RtpPacket.timestamp(next, 0)).isEqualTo(1640);
    }

    @Test
    void wrapsSequenceAndTimestampModuloTheirWidth() {
        relay(111, 65534, 0xFFFFFF00L);
        relay(111, 65535, 0xFFFFFFA0L);
        byte[] p = relay(222, 40000, 5);
        assertThat(RtpPacket.sequenceNumber(p, 0)).isEqualTo(0);
        assertThat(RtpPacket.timestamp(p, 0)).isEqualTo(0x40L); // 0xFFFFFFA0 + 0xA0 mod 2^32
    }

    @Test
    void dtmfEventPacketsSharingOneTimestamp_keepSharingIt() {
        relay(111, 1, 8000);
        byte[] e1 = packet(111, 2, 8160, 101);
        byte[] e2 = packet(111, 3, 8160, 101);
        rewriter.rewrite(e1, 0, e1.length);
        rewriter.rewrite(e2, 0, e2.length);
        assertThat(RtpPacket.timestamp(e1, 0)).isEqualTo(RtpPacket.timestamp(e2, 0));
        assertThat(RtpPacket.payloadType(e2, 0)).isEqualTo(101);
        // the DTMF repeat (step 0) does not spoil the remembered 160-sample packet step
        byte[] afterSwitch = relay(222, 9, 9);
        assertThat(RtpPacket.timestamp(afterSwitch, 0)).isEqualTo(8320);
    }

    @Test
    void sourceChanged_reanchorsEvenWithTheSameSsrc() {
        relay(111, 10, 1600);
        rewriter.sourceChanged();
        byte[] p = relay(111, 60000, 7);
        assertThat(RtpPacket.sequenceNumber(p, 0)).isEqualTo(11);
        assertThat(RtpPacket.timestamp(p, 0)).isEqualTo(1760);
    }

    @Test
    void nonRtpIsLeftAlone() {
        byte[] junk = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
        assertThat(rewriter.rewrite(junk, 0, junk.length)).isFalse();
        assertThat(junk[8]).isEqualTo((byte) 9);
    }

    @Test
    void mappedPayloadType_isRenumbered_keepingTheMarkerBit_othersUntouched() {
        rewriter.mapPayloadType(126, 101);
        byte[] dtmf = packet(111, 1, 160, 0x80 | 126); // marker: first packet of an event
        byte[] audio = packet(111, 2, 320, 0);
        rewriter.rewrite(dtmf, 0, dtmf.length);
        rewriter.rewrite(audio, 0, audio.length);
        assertThat(RtpPacket.payloadType(dtmf, 0)).isEqualTo(101);
        assertThat(RtpPacket.marker(dtmf, 0)).isTrue();
        assertThat(RtpPacket.payloadType(audio, 0)).isZero();
    }
}
