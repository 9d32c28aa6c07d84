package org.opendialer.core.accounts;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Locks one (username, client address) pair after repeated wrong passwords, with exponential
 * backoff; in memory (a restart forgets; one gateway process is the unit of deployment).
 * Keyed on the pair, not the username alone, so that wrong passwords sent from one address can
 * never lock the user out from another: spraying many names or guessing from many addresses is
 * bounded by the per-address and global rate limits instead.
 */
final class SignInThrottle {

    /** Failures older than this (since the last one) are forgotten. */
    static final Duration FORGET_AFTER = Duration.ofHours(1);
    static final int MAX_BACKOFF_DOUBLINGS = 5;
    private static final int PRUNE_THRESHOLD = 10_000;

    private final Clock clock;
    private final int threshold;
    private final Duration lockout;
    private final Map<String, Failures> byPair = new HashMap<>();

    private static final class Failures {
        int count;
        Instant last;
        Instant lockedUntil = Instant.MIN;
    }

    SignInThrottle(Clock clock, int threshold, Duration lockout) {
        this.clock = clock;
        this.threshold = threshold;
        this.lockout = lockout;
    }

    /** How long the pair stays locked, if it is. */
    synchronized Optional<Duration> lockedFor(String username, String address) {
        Failures f = byPair.get(key(username, address));
        Instant now = clock.instant();
        if (f == null || !now.isBefore(f.lockedUntil)) {
            return Optional.empty();
        }
        return Optional.of(Duration.between(now, f.lockedUntil));
    }

    synchronized void recordFailure(String username, String address) {
        Instant now = clock.instant();
        if (byPair.size() >= PRUNE_THRESHOLD) {
            byPair.values().removeIf(f -> isForgotten(f, now));
        }
        Failures f = byPair.computeIfAbsent(key(username, address), k -> new Failures());
        if (f.last != null && isForgotten(f, now)) {
            f.count = 0;
        }
        f.count++;
        f.last = now;
        if (f.count >= threshold) {
            int doublings = Math.min(f.count - threshold, MAX_BACKOFF_DOUBLINGS);
            f.lockedUntil = now.plus(lockout.multipliedBy(1L << doublings));
        }
    }

    /** A correct password clears that pair's failures. */
    synchronized void recordSuccess(String username, String address) {
        byPair.remove(key(username, address));
    }

    private static boolean isForgotten(Failures f, Instant now) {
        return !now.isBefore(f.last.plus(FORGET_AFTER)) && !now.isBefore(f.lockedUntil);
    }

    private static String key(String username, String address) {
        return username + '\n' + address;
    }
}
