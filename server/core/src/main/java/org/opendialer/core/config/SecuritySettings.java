package org.opendialer.core.config;

import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import org.opendialer.core.accounts.SignInLimits;

/** The limits against abuse of the gateway's web side and the secret key (docs/security.md). */
public record SecuritySettings(
        Duration signInWindow,
        int anonymousSocketsPerAddress,
        SignInLimits signIn,
        int adminFailuresPerAddress,
        Optional<byte[]> secretKey,
        TrustedProxies trustedProxies) {

    static final int MAX_SIGNIN_WINDOW_S = 15;

    public static SecuritySettings defaults() {
        return from(Map.of());
    }

    public static SecuritySettings from(Map<String, String> env) {
        SignInLimits signIn = new SignInLimits(
                count(env, ConfigKey.SIGNIN_RATE_PER_ADDRESS, 30, 1_000_000),
                count(env, ConfigKey.SIGNIN_RATE_GLOBAL, 300, 1_000_000),
                count(env, ConfigKey.PASSWORD_CHECK_THREADS, Runtime.getRuntime().availableProcessors(), 256),
                count(env, ConfigKey.SIGNIN_LOCKOUT_FAILURES, 5, 1000),
                Duration.ofSeconds(count(env, ConfigKey.SIGNIN_LOCKOUT_S, 30, 86_400)));
        return new SecuritySettings(
                Duration.ofSeconds(count(env, ConfigKey.SIGNIN_WINDOW_S, 10, MAX_SIGNIN_WINDOW_S)),
                count(env, ConfigKey.ANONYMOUS_SOCKETS_PER_ADDRESS, 20, 100_000),
                signIn,
                count(env, ConfigKey.ADMIN_FAILURES_PER_ADDRESS, 10, 1_000_000),
                secretKey(env),
                TrustedProxies.from(env));
    }

    private static Optional<byte[]> secretKey(Map<String, String> env) {
        String value = env.get(ConfigKey.SECRET_KEY.envName());
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        byte[] key;
        try {
            key = Base64.getDecoder().decode(value.trim());
        } catch (IllegalArgumentException e) {
            key = new byte[0];
        }
        if (key.length != 32) {
            throw new ConfigException(ConfigKey.SECRET_KEY,
                    "must be the base64 of exactly 32 bytes (make one with: openssl rand -base64 32)");
        }
        return Optional.of(key);
    }

    private static int count(Map<String, String> env, ConfigKey key, int defaultValue, int max) {
        String value = env.get(key.envName());
        if (value == null || value.isBlank()) {
            return defaultValue;
        }
        int n;
        try {
            n = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            n = -1;
        }
        if (n < 1 || n > max) {
            throw new ConfigException(key, "'" + value.trim() + "' is not a whole number between 1 and " + max);
        }
        return n;
    }

    @Override
    public String toString() {
        return "SecuritySettings[signInWindow=" + signInWindow + ", anonymousSocketsPerAddress="
                + anonymousSocketsPerAddress + ", signIn=" + signIn + ", adminFailuresPerAddress="
                + adminFailuresPerAddress + ", secretKey=" + (secretKey.isPresent() ? "(set)" : "(unset)") + ", trustedProxies="
                + trustedProxies + "]";
    }
}
