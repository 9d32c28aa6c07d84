package org.opendialer.media.srtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.opendialer.media.Hex;

/** RFC 3711 Appendix B.2, AES-CM test vectors, typed in from the RFC. */
class AesCounterModeTest {
    static final byte[] SESSION_KEY = Hex.bytes("2B7E151628AED2A6ABF7158809CF4F3C");
    // "Session Salt: F0F1F2F3F4F5F6F7F8F9FAFBFCFD0000 (already shifted)": the 14 salt bytes.
    static final byte[] SESSION_SALT = Hex.bytes("F0F1F2F3F4F5F6F7F8F9FAFBFCFD");

    @Test
    void rfc3711B2_keystreamSegment_firstAndLastBlocks() {
        AesCounterMode cm = new AesCounterMode(SESSION_KEY, SESSION_SALT);
        int length = 1044512; // 65282 AES blocks, per the RFC
        byte[] ks = Arrays.copyOf(cm.keystream(0, 0, length), length);
        assertThat(Hex.of(Arrays.copyOfRange(ks, 0, 48))).isEqualTo(
                "E03EAD0935C95E80E166B16DD92B4EB4"
                        + "D23513162B02D0F72A43A2FE4A5F97AB"
                        + "41E95B3BB0A2E8DD477901E4FCA894C0");
        assertThat(Hex.of(Arrays.copyOfRange(ks, 0xFEFF * 16, 0xFF02 * 16))).isEqualTo(
                "EC8CDF7398607CB0F2D21675EA9EA1E4"
                        + "362B7C3C6773516318A077D7FC5073AE"
                        + "6A2CC3787889374FBEB4C81B17BA6C44");
    }

    @Test
    void ssrcAndIndexChangeTheKeystream() {
        AesCounterMode cm = new AesCounterMode(SESSION_KEY, SESSION_SALT);
        byte[] base = cm.keystream(0, 0, 16).clone();
        assertThat(cm.keystream(1, 0, 16).clone()).isNotEqualTo(base);
        assertThat(cm.keystream(0, 1, 16).clone()).isNotEqualTo(base);
        assertThat(Hex.of(Arrays.copyOf(cm.keystream(0, 0, 16), 16))).isEqualTo("E03EAD0935C95E80E166B16DD92B4EB4");
    }
}
