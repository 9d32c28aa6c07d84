package org.opendialer.media.srtp;

import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES in counter mode as SRTP uses it (RFC 3711 §4.1.1): the IV is
 * (salt * 2^16) XOR (SSRC * 2^64) XOR (index * 2^16), and block j of the keystream is
 * AES(IV + j). The keystream comes from one ECB call over a buffer of counter blocks, so a
 * packet costs one Cipher call and no allocation once the buffers have grown to packet size.
 * Not thread-safe.
 */
final class AesCounterMode {
    private final Cipher aes;
    private final byte[] salt; // 14 bytes
    private byte[] counters = new byte[16 * 16];
    private byte[] keystream = new byte[16 * 16];

    AesCounterMode(byte[] key, byte[] salt) {
        if (key.length != 16 || salt.length != 14) {
            throw new IllegalArgumentException("AES-128 key of 16 bytes and salt of 14 bytes expected");
        }
        try {
            aes = Cipher.getInstance("AES/ECB/NoPadding");
            aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/ECB/NoPadding is mandatory in every JDK", e);
        }
        this.salt = salt.clone();
    }

    /** XORs the keystream for (ssrc, index) over buf[off, off+len). */
    void apply(int ssrc, long index, byte[] buf, int off, int len) {
        byte[] ks = keystream(ssrc, index, len);
        for (int i = 0; i < len; i++) {
            buf[off + i] ^= ks[i];
        }
    }

    /** The first len bytes of the keystream, in an internal buffer valid until the next call. */
    byte[] keystream(int ssrc, long index, int len) {
        int blocks = (len + 15) >>> 4;
        if (blocks > 0x10000) {
            throw new IllegalArgumentException("2^16 blocks at most per IV (§4.1.1)");
        }
        int bytes = blocks << 4;
        if (counters.length < bytes) {
            counters = new byte[bytes];
            keystream = new byte[bytes];
        }
        byte[] c = counters;
        for (int i = 0; i < 14; i++) {
            c[i] = salt[i];
        }
        c[4] ^= (byte) (ssrc >>> 24);
        c[5] ^= (byte) (ssrc >>> 16);
        c[6] ^= (byte) (ssrc >>> 8);
        c[7] ^= (byte) ssrc;
        for (int i = 0; i < 6; i++) {
            c[8 + i] ^= (byte) (index >>> (40 - 8 * i));
        }
        c[14] = 0;
        c[15] = 0;
        for (int j = 1; j < blocks; j++) {
            int o = j << 4;
            System.arraycopy(c, 0, c, o, 14);
            // The IV's low 16 bits are zero, so IV + j never carries out of them (j < 2^16).
            c[o + 14] = (byte) (j >>> 8);
            c[o + 15] = (byte) j;
        }
        try {
            aes.doFinal(c, 0, bytes, keystream, 0);
        } catch (ShortBufferException | javax.crypto.IllegalBlockSizeException | javax.crypto.BadPaddingException e) {
            throw new IllegalStateException(e); // sizes are multiples of 16 and the buffer fits
        }
        return keystream;
    }
}
