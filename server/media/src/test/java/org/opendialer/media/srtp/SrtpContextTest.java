package org.opendialer.media.srtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.opendialer.media.Hex;

class SrtpContextTest {
    static final byte[] KEY = Hex.bytes("E1F97A0D3E018BE0D64FA32C06DE4139");
    static final byte[] SALT = Hex.bytes("0EC675AD498AFEEBB6960B3AABE6");
    static final int SSRC = 0xCAFEBABE;

    final SrtpContext sender = new SrtpContext(KEY, SALT);
    final SrtpContext receiver = new SrtpContext(KEY, SALT);

    static byte[] rtp(int seq, int payloadLength) {
        byte[] p = new byte[12 + payloadLength];
        p[0] = (byte) 0x80;
        p[1] = 0; // PCMU
        p[2] = (byte) (seq >>> 8);
        p[3] = (byte) seq;
        p[7] = (byte) seq; // timestamp varies too
        p[8] = (byte) (SSRC >>> 24);
        p[9] = (byte) (SSRC >>> 16);
        p[10] = (byte) (SSRC >>> 8);
        p[11] = (byte) SSRC;
        for (int i = 12; i < p.length; i++) {
            p[i] = (byte) (i * 7 + seq);
        }
        return p;
    }

    @Test
    void rtpRoundTrip_encryptsPayloadOnly_andRestoresIt() throws Exception {
        byte[] plain = rtp(1000, 160);
        byte[] srtp = sender.protectRtp(plain, 0, plain.length);
        assertThat(srtp).hasSize(plain.length + SrtpContext.AUTH_TAG_LENGTH);
        assertThat(Arrays.copyOf(srtp, 12)).isEqualTo(Arrays.copyOf(plain, 12));
        assertThat(Arrays.copyOfRange(srtp, 12, plain.length)).isNotEqualTo(Arrays.copyOfRange(plain, 12, plain.length));
        assertThat(receiver.unprotectRtp(srtp, 0, srtp.length)).isEqualTo(plain);
    }

    @Test
    void rtpWithCsrcAndHeaderExtension_keepsThemInClear() throws Exception {
        byte[] body = rtp(7, 40);
        // 1 CSRC + a one-word extension (RFC 3550 §5.3.1) between the fixed header and payload.
        byte[] plain = new byte[body.length + 4 + 8];
        System.arraycopy(body, 0, plain, 0, 12);
        plain[0] = (byte) 0x91;
        plain[12] = 1; plain[13] = 2; plain[14] = 3; plain[15] = 4;
        plain[16] = (byte) 0xBE; plain[17] = (byte) 0xDE; plain[18] = 0; plain[19] = 1;
        plain[20] = 0x10; plain[21] = 0x55;
        System.arraycopy(body, 12, plain, 24, 40);
        byte[] srtp = sender.protectRtp(plain, 0, plain.length);
        assertThat(Arrays.copyOf(srtp, 24)).isEqualTo(Arrays.copyOf(plain, 24));
        assertThat(receiver.unprotectRtp(srtp, 0, srtp.length)).isEqualTo(plain);
    }

    @Test
    void tamperedPayloadHeaderOrTag_isRejected() throws Exception {
        byte[] plain = rtp(1, 160);
        byte[] srtp = sender.protectRtp(plain, 0, plain.length);
        for (int at : new int[] {1, 11, 50, srtp.length - 1}) {
            byte[] bad = srtp.clone();
            bad[at] ^= 0x01;
            assertThatThrownBy(() -> receiver.unprotectRtp(bad, 0, bad.length)).as("byte " + at)
                    .isInstanceOfSatisfying(SrtpException.class,
                            e -> assertThat(e.reason()).isIn(SrtpException.Reason.AUTHENTICATION_FAILED,
                                    SrtpException.Reason.REPLAYED, SrtpException.Reason.MALFORMED));
        }
        // the untouched packet still gets through: forgeries did not move the replay window
        assertThat(receiver.unprotectRtp(srtp, 0, srtp.length)).isEqualTo(plain);
    }

    @Test
    void payloadTamper_isAnAuthenticationFailure() throws Exception {
        byte[] plain = rtp(1, 160);
        byte[] srtp = sender.protectRtp(plain, 0, plain.length);
        srtp[100] ^= 0x40;
        assertThatThrownBy(() -> receiver.unprotectRtp(srtp, 0, srtp.length))
                .isInstanceOfSatisfying(SrtpException.class,
                        e -> assertThat(e.reason()).isEqualTo(SrtpException.Reason.AUTHENTICATION_FAILED));
    }

    @Test
    void wrongKey_failsAuthentication() throws Exception {
        byte[] plain = rtp(1, 20);
        byte[] srtp = sender.protectRtp(plain, 0, plain.length);
        byte[] otherKey = KEY.clone();
        otherKey[0] ^= 1;
        SrtpContext stranger = new SrtpContext(otherKey, SALT);
        assertThatThrownBy(() -> stranger.unprotectRtp(srtp, 0, srtp.length)).isInstanceOf(SrtpException.class);
    }

    @Test
    void replayedPacket_isRejected_reorderedOneIsAccepted() throws Exception {
        byte[] a = sender.protectRtp(rtp(10, 20), 0, 32);
        byte[] b = sender.protectRtp(rtp(11, 20), 0, 32);
        receiver.unprotectRtp(b, 0, b.length);
        assertThat(receiver.unprotectRtp(a, 0, a.length)).isEqualTo(rtp(10, 20)); // late but in window
        assertThatThrownBy(() -> receiver.unprotectRtp(a, 0, a.length))
                .isInstanceOfSatisfying(SrtpException.class,
                        e -> assertThat(e.reason()).isEqualTo(SrtpException.Reason.REPLAYED));
    }

    @Test
    void packetOlderThanTheWindow_isRejected() throws Exception {
        byte[] old = sender.protectRtp(rtp(100, 20), 0, 32);
        for (int seq = 101; seq <= 200; seq++) {
            byte[] p = sender.protectRtp(rtp(seq, 20), 0, 32);
            receiver.unprotectRtp(p, 0, p.length);
        }
        assertThatThrownBy(() -> receiver.unprotectRtp(old, 0, old.length)).isInstanceOf(SrtpException.class);
    }

    @Test
    void rolloverCounter_advancesAcrossSequence65535To0_onBothSides() throws Exception {
        byte[] beforeWrap = null;
        for (int i = 0; i < 40; i++) {
            int seq = (65520 + i) & 0xFFFF;
            byte[] plain = rtp(seq, 32);
            byte[] srtp = sender.protectRtp(plain, 0, plain.length);
            if (seq == 65534) {
                beforeWrap = srtp; // held back: arrives after the wrap
                continue;
            }
            assertThat(receiver.unprotectRtp(srtp, 0, srtp.length)).as("seq " + seq).isEqualTo(plain);
        }
        assertThat(sender.rolloverCounter(SSRC)).isEqualTo(1);
        assertThat(receiver.rolloverCounter(SSRC)).isEqualTo(1);
        // A straggler from before the wrap is decrypted with ROC - 1 (§3.3.1), not ROC.
        assertThat(receiver.unprotectRtp(beforeWrap, 0, beforeWrap.length)).isEqualTo(rtp(65534, 32));
        assertThat(receiver.rolloverCounter(SSRC)).isEqualTo(1);
    }

    @Test
    void receiverThatMissedTheRocStep_cannotAuthenticate() throws Exception {
        // The ROC is in the tag (§4.2): a packet protected with ROC 1 does not verify under ROC 0.
        for (int seq = 65530; seq <= 65535; seq++) {
            sender.protectRtp(rtp(seq, 8), 0, 20);
        }
        byte[] afterWrap = sender.protectRtp(rtp(3, 8), 0, 20);
        SrtpContext fresh = new SrtpContext(KEY, SALT);
        assertThatThrownBy(() -> fresh.unprotectRtp(afterWrap, 0, afterWrap.length)).isInstanceOf(SrtpException.class);
    }

    @Test
    void malformedRtp_isRejectedNotCrashed() {
        byte[] tiny = {(byte) 0x80, 0, 0, 1};
        assertThatThrownBy(() -> receiver.unprotectRtp(tiny, 0, tiny.length)).isInstanceOf(SrtpException.class);
        byte[] wrongVersion = rtp(1, 30);
        wrongVersion[0] = 0x40;
        assertThatThrownBy(() -> receiver.unprotectRtp(wrongVersion, 0, wrongVersion.length)).isInstanceOf(SrtpException.class);
        byte[] hugeCsrc = rtp(1, 4);
        hugeCsrc[0] = (byte) 0x9F; // 15 CSRCs and an extension in a 26-byte packet
        assertThatThrownBy(() -> receiver.unprotectRtp(hugeCsrc, 0, hugeCsrc.length)).isInstanceOf(SrtpException.class);
    }

    @Test
    void rtcpRoundTrip_withEFlagAndIndex() throws Exception {
        // A receiver report: V=2, RC=0, PT=201, length 1, SSRC, plus 4 bytes so there is payload.
        byte[] rr = Hex.bytes("80C90001 CAFEBABE DEADBEEF");
        byte[] first = sender.protectRtcp(rr, 0, rr.length);
        byte[] second = sender.protectRtcp(rr, 0, rr.length);
        assertThat(first).hasSize(rr.length + 4 + 10);
        assertThat(Arrays.copyOf(first, 8)).isEqualTo(Arrays.copyOf(rr, 8));
        assertThat(Arrays.copyOfRange(first, 8, 12)).isNotEqualTo(Arrays.copyOfRange(rr, 8, 12));
        assertThat(Hex.of(Arrays.copyOfRange(first, 12, 16))).isEqualTo("80000000");
        assertThat(Hex.of(Arrays.copyOfRange(second, 12, 16))).isEqualTo("80000001");
        assertThat(receiver.unprotectRtcp(second, 0, second.length)).isEqualTo(rr);
        assertThat(receiver.unprotectRtcp(first, 0, first.length)).isEqualTo(rr);
        assertThatThrownBy(() -> receiver.unprotectRtcp(first, 0, first.length))
                .isInstanceOfSatisfying(SrtpException.class,
                        e -> assertThat(e.reason()).isEqualTo(SrtpException.Reason.REPLAYED));
        byte[] third = sender.protectRtcp(rr, 0, rr.length);
        third[9] ^= 1;
        assertThatThrownBy(() -> receiver.unprotectRtcp(third, 0, third.length))
                .isInstanceOfSatisfying(SrtpException.class,
                        e -> assertThat(e.reason()).isEqualTo(SrtpException.Reason.AUTHENTICATION_FAILED));
    }

    @Test
    void forgedPacketsWithMadeUpSsrcs_createNoState() throws Exception {
        byte[] plain = rtp(1, 20);
        byte[] srtp = sender.protectRtp(plain, 0, plain.length);
        for (int i = 0; i < 1000; i++) {
            byte[] forged = srtp.clone();
            forged[8] = (byte) i;
            forged[9] = (byte) (i >>> 8);
            assertThatThrownBy(() -> receiver.unprotectRtp(forged, 0, forged.length)).isInstanceOf(SrtpException.class);
        }
        assertThat(receiver.ssrcCount()).isZero();
        receiver.unprotectRtp(srtp, 0, srtp.length);
        assertThat(receiver.ssrcCount()).isEqualTo(1);
    }

    @Test
    void randomGarbage_isRejectedWithSrtpException_neverAnotherException() {
        java.util.Random random = new java.util.Random(3711);
        for (int i = 0; i < 20_000; i++) {
            byte[] junk = new byte[random.nextInt(64)];
            random.nextBytes(junk);
            if (junk.length > 0 && random.nextBoolean()) {
                junk[0] = (byte) (0x80 | (junk[0] & 0x3F)); // version 2, so parsing goes deeper
            }
            try {
                receiver.unprotectRtp(junk, 0, junk.length);
            } catch (SrtpException expected) {
                // rejected
            }
            try {
                receiver.unprotectRtcp(junk, 0, junk.length);
            } catch (SrtpException expected) {
                // rejected
            }
        }
        assertThat(receiver.ssrcCount()).isZero();
    }

    @Test
    void rtpAndRtcpKeysDiffer() throws Exception {
        // Same bytes through SRTP and SRTCP must give different ciphertext (labels 0 vs 3, §4.3.2).
        byte[] p = rtp(0, 16);
        byte[] asRtp = sender.protectRtp(p, 0, p.length);
        byte[] asRtcp = new SrtpContext(KEY, SALT).protectRtcp(p, 0, p.length);
        assertThat(Arrays.copyOfRange(asRtp, 12, 28)).isNotEqualTo(Arrays.copyOfRange(asRtcp, 12, 28));
    }

    @Test
    void twoHundredThousandPackets_roundTripAcrossThreeRollovers() throws Exception {
        int n = 200_000;
        byte[] plain = rtp(0, 160);
        int mismatches = 0;
        for (int i = 0; i < n; i++) {
            plain[2] = (byte) (i >>> 8);
            plain[3] = (byte) i;
            plain[20] = (byte) i;
            byte[] srtp = sender.protectRtp(plain, 0, plain.length);
            if (!Arrays.equals(receiver.unprotectRtp(srtp, 0, srtp.length), plain)) {
                mismatches++;
            }
        }
        assertThat(mismatches).isZero();
        assertThat(sender.rolloverCounter(SSRC)).isEqualTo(n >>> 16);
        assertThat(receiver.rolloverCounter(SSRC)).isEqualTo(n >>> 16);
    }
}
