package org.opendialer.media.rtp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PacketKindTest {
    static PacketKind kind(int... bytes) {
        byte[] b = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            b[i] = (byte) bytes[i];
        }
        return PacketKind.of(b, 0, b.length);
    }

    @Test
    void firstByteRangesOfRfc7983() {
        assertThat(kind(0x00, 0x01)).isEqualTo(PacketKind.STUN);
        assertThat(kind(0x03, 0x00)).isEqualTo(PacketKind.STUN);
        assertThat(kind(20, 0xFE)).isEqualTo(PacketKind.DTLS);  // change_cipher_spec
        assertThat(kind(22, 0xFE)).isEqualTo(PacketKind.DTLS);  // handshake
        assertThat(kind(63, 0)).isEqualTo(PacketKind.DTLS);
        assertThat(kind(0x80, 0x00)).isEqualTo(PacketKind.RTP);
        assertThat(kind(191, 0x00)).isEqualTo(PacketKind.RTP);
        assertThat(kind(16, 0)).isEqualTo(PacketKind.UNKNOWN);  // ZRTP
        assertThat(kind(64, 0)).isEqualTo(PacketKind.UNKNOWN);  // TURN channel
        assertThat(kind(192, 0)).isEqualTo(PacketKind.UNKNOWN);
        assertThat(kind()).isEqualTo(PacketKind.UNKNOWN);
        assertThat(kind(0x80)).isEqualTo(PacketKind.UNKNOWN);
    }

    @Test
    void rtcpTypesAreToldFromRtpByTheSecondByte() {
        for (int pt = 200; pt <= 206; pt++) { // SR RR SDES BYE APP RTPFB PSFB
            assertThat(kind(0x81, pt)).as("PT " + pt).isEqualTo(PacketKind.RTCP);
        }
        assertThat(kind(0x80, 0x80)).as("PCMU with marker").isEqualTo(PacketKind.RTP);
        assertThat(kind(0x80, 0x80 | 101)).as("telephone-event 101 with marker").isEqualTo(PacketKind.RTP);
        assertThat(kind(0x80, 0x80 | 111)).as("opus 111 with marker").isEqualTo(PacketKind.RTP);
    }
}
