package org.opendialer.media.stun;

import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

final class StunCrypto {
    private StunCrypto() {
    }

    static byte[] hmacSha1(byte[] key, byte[] data, int off, int len) {
        try {
            // Consent checks arrive every few seconds per leg: a Mac per check costs nothing that matters.
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(key, "HmacSHA1"));
            mac.update(data, off, len);
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 is mandatory in every JDK", e);
        }
    }
}
