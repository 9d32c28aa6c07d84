package org.opendialer.media.srtp;

import java.util.Arrays;

/**
 * The AES-CM key derivation of RFC 3711 §4.3 with key_derivation_rate 0, the only rate
 * DTLS-SRTP uses (RFC 5764 §4.1.2): session key = AES-CM keystream under the master key with
 * IV = (master_salt XOR (label * 2^48)) * 2^16, i.e. the label lands on byte 7 of the salt.
 */
final class SrtpKeyDerivation {
    static final int RTP_ENCRYPTION = 0x00;
    static final int RTP_AUTHENTICATION = 0x01;
    static final int RTP_SALT = 0x02;
    static final int RTCP_ENCRYPTION = 0x03;
    static final int RTCP_AUTHENTICATION = 0x04;
    static final int RTCP_SALT = 0x05;

    private SrtpKeyDerivation() {
    }

    static byte[] derive(byte[] masterKey, byte[] masterSalt, int label, int length) {
        byte[] x = masterSalt.clone();
        x[7] ^= (byte) label;
        // With SSRC and index zero the counter-mode IV is exactly x * 2^16.
        return Arrays.copyOf(new AesCounterMode(masterKey, x).keystream(0, 0, length), length);
    }
}
