package org.opendialer.media.dtls;

import java.util.Arrays;
import org.opendialer.media.srtp.SrtpContext;

/**
 * The 60 bytes exported with label "EXTRACTOR-dtls_srtp" for SRTP_AES128_CM_HMAC_SHA1_80,
 * split as RFC 5764 §4.2 lays them out: client key, server key, client salt, server salt.
 */
public record SrtpKeyMaterial(byte[] clientKey, byte[] serverKey, byte[] clientSalt, byte[] serverSalt) {
    public static final int LENGTH = 2 * SrtpContext.MASTER_KEY_LENGTH + 2 * SrtpContext.MASTER_SALT_LENGTH;

    public static SrtpKeyMaterial split(byte[] exported) {
        if (exported.length != LENGTH) {
            throw new IllegalArgumentException("expected " + LENGTH + " bytes, got " + exported.length);
        }
        int k = SrtpContext.MASTER_KEY_LENGTH;
        int s = SrtpContext.MASTER_SALT_LENGTH;
        return new SrtpKeyMaterial(
                Arrays.copyOfRange(exported, 0, k),
                Arrays.copyOfRange(exported, k, 2 * k),
                Arrays.copyOfRange(exported, 2 * k, 2 * k + s),
                Arrays.copyOfRange(exported, 2 * k + s, 2 * k + 2 * s));
    }

    /** What the DTLS server (the gateway) receives: the client protects with the client pair. */
    public SrtpContext serverReceiveContext() {
        return new SrtpContext(clientKey, clientSalt);
    }

    /** What the DTLS server sends with. */
    public SrtpContext serverSendContext() {
        return new SrtpContext(serverKey, serverSalt);
    }

    public SrtpContext clientReceiveContext() {
        return new SrtpContext(serverKey, serverSalt);
    }

    public SrtpContext clientSendContext() {
        return new SrtpContext(clientKey, clientSalt);
    }
}
