package org.opendialer.core.ice;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Short-lived TURN credentials in the "TURN REST API" scheme (draft-uberti-behave-turn-rest-00 §2.2), the
 * one coturn checks with {@code use-auth-secret}: the username is {@code <expiry unix time>:<user id>}, the
 * password base64(HMAC-SHA1(shared secret, username)). The TURN server needs no user database and a leaked
 * credential dies at its expiry.
 */
public final class TurnCredentials {
    /** One minted credential. */
    public record Credential(String username, String password, Instant expires) {
        @Override
        public String toString() { // never the password
            return "Credential[username=" + username + ", expires=" + expires + "]";
        }
    }

    private final byte[] secret;
    private final Duration ttl;

    public TurnCredentials(String secret, Duration ttl) {
        Objects.requireNonNull(secret, "secret");
        if (secret.isEmpty()) {
            throw new IllegalArgumentException("empty TURN secret");
        }
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("TURN credential TTL must be positive");
        }
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
        this.ttl = ttl;
    }

    /** Credentials for {@code userId} valid until {@code now + ttl}. */
    public Credential mint(long userId, Instant now) {
        Instant expires = now.plus(ttl);
        String username = expires.getEpochSecond() + ":" + userId;
        return new Credential(username, password(username), expires);
    }

    String password(String username) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(secret, "HmacSHA1"));
            return Base64.getEncoder().encodeToString(mac.doFinal(username.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 is part of every JDK", e);
        }
    }
}
