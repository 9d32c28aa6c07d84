package org.opendialer.media.rtp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.opendialer.media.Hex;

class RtpPacketTest {
    @Test
    void readsFixedHeaderFields() {
        byte[] p = Hex.bytes("80E5 1234 DEADBEEF CAFEBABE 00112233");
        assertThat(RtpPacket.headerLength(p, 0, p.length)).isEqualTo(12);
        assertThat(RtpPacket.payloadType(p, 0)).isEqualTo(101);
        assertThat(RtpPacket.marker(p, 0)).isTrue();
        assertThat(RtpPacket.sequenceNumber(p, 0)).isEqualTo(0x1234);
        assertThat(RtpPacket.timestamp(p, 0)).isEqualTo(0xDEADBEEFL);
        assertThat(RtpPacket.ssrc(p, 0)).isEqualTo(0xCAFEBABE);
        assertThat(RtpPacket.payloadLength(p, 0, p.length)).isEqualTo(4);
    }

    @Test
    void skipsCsrcsAndHeaderExtension() {
        // CC=2, X=1, extension of 1 word, 2 payload bytes
        byte[] p = Hex.bytes("9200 0001 00000000 00000001 00000002 00000003 BEDE0001 10AA0000 7F7F");
        assertThat(RtpPacket.headerLength(p, 0, p.length)).isEqualTo(12 + 8 + 4 + 4);
        assertThat(RtpPacket.payloadLength(p, 0, p.length)).isEqualTo(2);
    }

    @Test
    void paddingIsNotPayload() {
        byte[] p = Hex.bytes("A000 0001 00000000 00000001 AABB 0000 0004"); // P bit, 4 bytes of padding
        assertThat(RtpPacket.payloadLength(p, 0, p.length)).isEqualTo(2);
    }

    @Test
    void rejectsWhatIsNotRtp() {
        assertThat(RtpPacket.headerLength(Hex.bytes("8000 0001 00000000"), 0, 8)).isEqualTo(-1);
        byte[] v1 = Hex.bytes("4000 0001 00000000 00000001");
        assertThat(RtpPacket.headerLength(v1, 0, v1.length)).isEqualTo(-1);
        byte[] csrcPastEnd = Hex.bytes("8F00 0001 00000000 00000001 00000000");
        assertThat(RtpPacket.headerLength(csrcPastEnd, 0, csrcPastEnd.length)).isEqualTo(-1);
        byte[] extPastEnd = Hex.bytes("9000 0001 00000000 00000001 BEDE00FF");
        assertThat(RtpPacket.headerLength(extPastEnd, 0, extPastEnd.length)).isEqualTo(-1);
        byte[] badPadding = Hex.bytes("A000 0001 00000000 00000001 AA FF");
        assertThat(RtpPacket.payloadLength(badPadding, 0, badPadding.length)).isEqualTo(-1);
    }

    @Test
    void writesFieldsInPlace() {
        byte[] p = Hex.bytes("8000 0001 00000000 00000001");
        RtpPacket.setSequenceNumber(p, 0, 0xFFFF);
        RtpPacket.setTimestamp(p, 0, 0xFFFFFFFFL);
        RtpPacket.setSsrc(p, 0, 0x01020304);
        RtpPacket.setMarker(p, 0, true);
        assertThat(Hex.of(p)).isEqualTo("8080FFFFFFFFFFFF01020304");
        RtpPacket.setMarker(p, 0, false);
        assertThat(RtpPacket.marker(p, 0)).isFalse();
        assertThat(RtpPacket.payloadType(p, 0)).isZero();
    }
}
