package org.opendialer.core.accounts;

import java.time.Duration;

/**
 * The limits on password sign-in (docs/security.md): attempts per client address and in total per
 * minute, checked before any hashing; how many Argon2 checks run at once; and the lockout of one
 * (username, address) pair after {@code lockoutFailures} wrong passwords, for {@code lockout},
 * doubling with each further failure up to 32 times that.
 */
public record SignInLimits(int perAddressPerMinute, int globalPerMinute, int passwordCheckThreads,
                           int lockoutFailures, Duration lockout) {

    public static final SignInLimits DEFAULTS = new SignInLimits(30, 300,
            Runtime.getRuntime().availableProcessors(), 5, Duration.ofSeconds(30));

    public SignInLimits {
        if (perAddressPerMinute < 1 || globalPerMinute < 1 || passwordCheckThreads < 1 || lockoutFailures < 1
                || lockout.isNegative() || lockout.isZero()) {
            throw new IllegalArgumentException("sign-in limits must be positive");
        }
    }

    /** The same, without the per-address and global rate limits (unit tests that sign in often). */
    public static SignInLimits unlimitedRate() {
        return new SignInLimits(1_000_000, 1_000_000, 2, DEFAULTS.lockoutFailures, DEFAULTS.lockout);
    }
}
