package org.opendialer.media.srtp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.opendialer.media.Hex;

/** RFC 3711 Appendix B.3, key derivation test vectors, typed in from the RFC. */
class SrtpKeyDerivationTest {
    static final byte[] MASTER_KEY = Hex.bytes("E1F97A0D3E018BE0D64FA32C06DE4139");
    static final byte[] MASTER_SALT = Hex.bytes("0EC675AD498AFEEBB6960B3AABE6");

    @Test
    void rfc3711B3_cipherKey() {
        assertThat(Hex.of(SrtpKeyDerivation.derive(MASTER_KEY, MASTER_SALT, SrtpKeyDerivation.RTP_ENCRYPTION, 16)))
                .isEqualTo("C61E7A93744F39EE10734AFE3FF7A087");
    }

    @Test
    void rfc3711B3_cipherSalt_andTheFullAesOutputBlock() {
        assertThat(Hex.of(SrtpKeyDerivation.derive(MASTER_KEY, MASTER_SALT, SrtpKeyDerivation.RTP_SALT, 14)))
                .isEqualTo("30CBBC08863D8C85D49DB34A9AE1");
        assertThat(Hex.of(SrtpKeyDerivation.derive(MASTER_KEY, MASTER_SALT, SrtpKeyDerivation.RTP_SALT, 16)))
                .isEqualTo("30CBBC08863D8C85D49DB34A9AE17AC6");
    }

    @Test
    void rfc3711B3_authKey_all94Octets() {
        assertThat(Hex.of(SrtpKeyDerivation.derive(MASTER_KEY, MASTER_SALT, SrtpKeyDerivation.RTP_AUTHENTICATION, 94)))
                .isEqualTo("CEBE321F6FF7716B6FD4AB49AF256A15"
                        + "6D38BAA48F0A0ACF3C34E2359E6CDBCE"
                        + "E049646C43D9327AD175578EF7227098"
                        + "6371C10C9A369AC2F94A8C5FBCDDDC25"
                        + "6D6E919A48B610EF17C2041E47403576"
                        + "6B68642C59BBFC2F34DB60DBDFB2");
    }
}
