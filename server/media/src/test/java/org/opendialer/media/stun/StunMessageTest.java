package org.opendialer.media.stun;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.opendialer.media.Hex;

/** RFC 5769 §2.1–2.3 sample messages, typed in from the RFC. */
class StunMessageTest {
    static final byte[] PASSWORD = "VOkJxbRl1RmTxUk/WvJxBt".getBytes(StandardCharsets.UTF_8);
    static final byte[] TXID = Hex.bytes("b7e7a701 bc34d686 fa87dfae");

    // RFC 5769 §2.1 Sample Request
    static final byte[] REQUEST = Hex.bytes("""
            00 01 00 58  21 12 a4 42  b7 e7 a7 01  bc 34 d6 86  fa 87 df ae
            80 22 00 10  53 54 55 4e  20 74 65 73  74 20 63 6c  69 65 6e 74
            00 24 00 04  6e 00 01 ff
            80 29 00 08  93 2f f9 b1  51 26 3b 36
            00 06 00 09  65 76 74 6a  3a 68 36 76  59 20 20 20
            00 08 00 14  9a ea a7 0c  bf d8 cb 56  78 1e f2 b5  b2 d3 f2 49  c1 b5 71 a2
            80 28 00 04  e5 7a 3b cf
            """);

    // RFC 5769 §2.2 Sample IPv4 Response
    static final byte[] RESPONSE_V4 = Hex.bytes("""
            01 01 00 3c  21 12 a4 42  b7 e7 a7 01  bc 34 d6 86  fa 87 df ae
            80 22 00 0b  74 65 73 74  20 76 65 63  74 6f 72 20
            00 20 00 08  00 01 a1 47  e1 12 a6 43
            00 08 00 14  2b 91 f5 99  fd 9e 90 c3  8c 74 89 f9  2a f9 ba 53  f0 6b e7 d7
            80 28 00 04  c0 7d 4c 96
            """);

    // RFC 5769 §2.3 Sample IPv6 Response
    static final byte[] RESPONSE_V6 = Hex.bytes("""
            01 01 00 48  21 12 a4 42  b7 e7 a7 01  bc 34 d6 86  fa 87 df ae
            80 22 00 0b  74 65 73 74  20 76 65 63  74 6f 72 20
            00 20 00 14  00 02 a1 47  01 13 a9 fa  a5 d3 f1 79  bc 25 f4 b5  be d2 b9 d9
            00 08 00 14  a3 82 95 4e  4b e6 7b f1  17 84 c9 7c  82 92 c2 75  bf e3 ed 41
            80 28 00 04  c8 fb 0b 4c
            """);

    @Test
    void rfc5769SampleRequest_parsesAndVerifies() throws Exception {
        StunMessage m = StunMessage.parse(REQUEST, 0, REQUEST.length);
        assertThat(m.type()).isEqualTo(StunMessageType.BINDING_REQUEST);
        assertThat(m.transactionId()).isEqualTo(TXID);
        assertThat(m.username()).isEqualTo("evtj:h6vY");
        assertThat(m.priority()).isEqualTo(0x6e0001ffL);
        assertThat(m.tieBreaker(StunAttribute.ICE_CONTROLLED)).isEqualTo(0x932ff9b151263b36L);
        assertThat(new String(m.attribute(StunAttribute.SOFTWARE), StandardCharsets.UTF_8)).isEqualTo("STUN test client");
        assertThat(m.verifyIntegrity(PASSWORD)).isTrue();
        assertThat(m.verifyIntegrity("wrong-password-wrong-pw".getBytes(StandardCharsets.UTF_8))).isFalse();
        assertThat(m.verifyFingerprint()).isTrue();
        assertThat(m.unknownComprehensionRequired()).isEmpty();
    }

    @Test
    void rfc5769SampleRequest_reencodesByteForByte() {
        byte[] encoded = new StunMessageBuilder(StunMessageType.BINDING_REQUEST, TXID).padding((byte) 0x20)
                .software("STUN test client")
                .priority(0x6e0001ffL)
                .iceRole(StunAttribute.ICE_CONTROLLED, 0x932ff9b151263b36L)
                .username("evtj:h6vY")
                .messageIntegrity(PASSWORD)
                .fingerprint()
                .build();
        assertThat(Hex.of(encoded)).isEqualTo(Hex.of(REQUEST));
    }

    @Test
    void rfc5769SampleIpv4Response_decodesMappedAddressAndReencodes() throws Exception {
        StunMessage m = StunMessage.parse(RESPONSE_V4, 0, RESPONSE_V4.length);
        assertThat(m.type()).isEqualTo(StunMessageType.BINDING_SUCCESS);
        InetSocketAddress mapped = new InetSocketAddress(InetAddress.getByName("192.0.2.1"), 32853);
        assertThat(m.xorMappedAddress()).isEqualTo(mapped);
        assertThat(m.verifyIntegrity(PASSWORD)).isTrue();
        assertThat(m.verifyFingerprint()).isTrue();

        byte[] encoded = new StunMessageBuilder(StunMessageType.BINDING_SUCCESS, TXID).padding((byte) 0x20)
                .software("test vector").xorMappedAddress(mapped).messageIntegrity(PASSWORD).fingerprint().build();
        assertThat(Hex.of(encoded)).isEqualTo(Hex.of(RESPONSE_V4));
    }

    @Test
    void rfc5769SampleIpv6Response_decodesMappedAddressAndReencodes() throws Exception {
        StunMessage m = StunMessage.parse(RESPONSE_V6, 0, RESPONSE_V6.length);
        InetSocketAddress mapped = new InetSocketAddress(
                InetAddress.getByName("2001:db8:1234:5678:11:2233:4455:6677"), 32853);
        assertThat(m.xorMappedAddress()).isEqualTo(mapped);
        assertThat(m.verifyIntegrity(PASSWORD)).isTrue();
        assertThat(m.verifyFingerprint()).isTrue();

        byte[] encoded = new StunMessageBuilder(StunMessageType.BINDING_SUCCESS, TXID).padding((byte) 0x20)
                .software("test vector").xorMappedAddress(mapped).messageIntegrity(PASSWORD).fingerprint().build();
        assertThat(Hex.of(encoded)).isEqualTo(Hex.of(RESPONSE_V6));
    }

    @Test
    void flippedBitInBody_failsIntegrityAndFingerprint() throws Exception {
        byte[] tampered = REQUEST.clone();
        tampered[30] ^= 1; // inside SOFTWARE
        StunMessage m = StunMessage.parse(tampered, 0, tampered.length);
        assertThat(m.verifyIntegrity(PASSWORD)).isFalse();
        assertThat(m.verifyFingerprint()).isFalse();
    }

    @Test
    void parseAtOffset_readsOnlyTheGivenRange() throws Exception {
        byte[] framed = new byte[REQUEST.length + 7];
        System.arraycopy(REQUEST, 0, framed, 3, REQUEST.length);
        StunMessage m = StunMessage.parse(framed, 3, REQUEST.length);
        assertThat(m.verifyFingerprint()).isTrue();
    }

    @Test
    void malformedInput_throwsCheckedException() {
        assertThatThrownBy(() -> StunMessage.parse(REQUEST, 0, 19)).isInstanceOf(StunException.class);
        byte[] noCookie = REQUEST.clone();
        noCookie[4] = 0;
        assertThatThrownBy(() -> StunMessage.parse(noCookie, 0, noCookie.length)).isInstanceOf(StunException.class);
        byte[] longLength = REQUEST.clone();
        longLength[2] = (byte) 0xFF; // claims 65k of attributes
        assertThatThrownBy(() -> StunMessage.parse(longLength, 0, longLength.length)).isInstanceOf(StunException.class);
        byte[] overrun = REQUEST.clone();
        overrun[20 + 2] = (byte) 0x7F; // SOFTWARE length past the end
        assertThatThrownBy(() -> StunMessage.parse(overrun, 0, overrun.length)).isInstanceOf(StunException.class);
        byte[] truncated = java.util.Arrays.copyOf(REQUEST, REQUEST.length - 4);
        truncated[3] = (byte) (REQUEST[3] - 4);
        assertThatThrownBy(() -> StunMessage.parse(truncated, 0, truncated.length)).isInstanceOf(StunException.class);
    }

    @Test
    void randomGarbage_neverThrowsUnchecked() {
        Random random = new Random(5769);
        for (int i = 0; i < 20_000; i++) {
            byte[] junk = REQUEST.clone();
            for (int k = 0; k < 1 + random.nextInt(4); k++) {
                junk[random.nextInt(junk.length)] = (byte) random.nextInt();
            }
            int len = random.nextInt(junk.length + 1);
            try {
                StunMessage m = StunMessage.parse(junk, 0, len);
                m.username();
                m.xorMappedAddress();
                m.priority();
                m.errorCode();
                m.verifyIntegrity(PASSWORD);
                m.verifyFingerprint();
            } catch (StunException expected) {
                // fine: rejected as malformed
            }
        }
    }

    @Test
    void unknownOptionalAttributeIsSkipped_unknownRequiredIsReported() throws Exception {
        byte[] encoded = new StunMessageBuilder(StunMessageType.BINDING_REQUEST, TXID)
                .attribute(0xC057, new byte[] {0, 1, 0, 0})
                .attribute(0x7777, new byte[] {1})
                .username("a:b")
                .build();
        StunMessage m = StunMessage.parse(encoded, 0, encoded.length);
        assertThat(m.username()).isEqualTo("a:b");
        assertThat(m.unknownComprehensionRequired()).containsExactly(0x7777);
    }

    @Test
    void errorCode_roundTrips() throws Exception {
        byte[] encoded = new StunMessageBuilder(StunMessageType.BINDING_ERROR, TXID)
                .errorCode(401, "Unauthorized").fingerprint().build();
        StunMessage m = StunMessage.parse(encoded, 0, encoded.length);
        assertThat(m.errorCode()).isEqualTo(401);
        assertThat(m.errorReason()).isEqualTo("Unauthorized");
        assertThat(StunMessageType.isError(m.type())).isTrue();
        assertThat(m.verifyFingerprint()).isTrue();
    }
}
