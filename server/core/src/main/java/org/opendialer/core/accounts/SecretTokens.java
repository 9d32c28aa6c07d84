package org.opendialer.core.accounts;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Bearer tokens: 256 random bits, base64url without padding. Only the SHA-256 of a token is
 * stored, so a database dump cannot be replayed; a plain hash suffices because the input has full
 * entropy (no need for a slow KDF).
 */
final class SecretTokens {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();

    private SecretTokens() {}

    static String generate() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return B64URL.encodeToString(bytes);
    }

    static final int CONTACT_TOKEN_LENGTH = 24;

    /** 96 random bits as 24 lower-case hex digits: safe in a SIP URI's user part, unguessable. */
    static String contactToken() {
        byte[] bytes = new byte[CONTACT_TOKEN_LENGTH / 2];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /** Hex SHA-256; accepts any string so that malformed tokens simply match nothing. */
    static String hash(String token) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is mandatory in every JDK", e);
        }
    }
}
