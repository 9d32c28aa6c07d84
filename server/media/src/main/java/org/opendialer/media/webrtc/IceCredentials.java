package org.opendialer.media.webrtc;

import java.security.SecureRandom;

/**
 * Local ICE credentials for one leg. The ufrag routes STUN checks on the shared port, so it
 * must be unique per endpoint; the password keys MESSAGE-INTEGRITY and must be 22–256
 * ice-chars (RFC 8839 §5.4), which Chromium enforces.
 */
public record IceCredentials(String ufrag, String password) {
    private static final String ICE_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    private static final SecureRandom RANDOM = new SecureRandom();

    public static IceCredentials random() {
        return new IceCredentials(randomString(8), randomString(24));
    }

    private static String randomString(int length) {
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            sb.append(ICE_CHARS.charAt(RANDOM.nextInt(ICE_CHARS.length())));
        }
        return sb.toString();
    }
}
