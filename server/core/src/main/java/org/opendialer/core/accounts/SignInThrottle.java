package org.opendialer.core.accounts;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * Counts failed password sign-ins in a sliding window, per username and per client address,
 * in memory (a restart forgets; one gateway process is the unit of deployment).
 */
final class SignInThrottle {

    static final Duration WINDOW = Duration.ofMinutes(5);
    static final int MAX_FAILURES_PER_USERNAME = 5;
    static final int MAX_FAILURES_PER_ADDRESS = 20;
    private static final int PRUNE_THRESHOLD = 10_000;

    private final Clock clock;
    private final Map<String, Deque<Instant>> byUsername = new HashMap<>();
    private final Map<String, Deque<Instant>> byAddress = new HashMap<>();

    SignInThrottle(Clock clock) {
        this.clock = clock;
    }

    synchronized boolean isLocked(String username, String address) {
        Instant now = clock.instant();
        return count(byUsername, username, now) >= MAX_FAILURES_PER_USERNAME
                || count(byAddress, address, now) >= MAX_FAILURES_PER_ADDRESS;
    }

    synchronized void recordFailure(String username, String address) {
        Instant now = clock.instant();
        add(byUsername, username, now);
        add(byAddress, address, now);
    }

    /** A correct password clears the username's failures (not the address's: one address may try many names). */
    synchronized void recordSuccess(String username) {
        byUsername.remove(username);
    }

    private static int count(Map<String, Deque<Instant>> map, String key, Instant now) {
        if (key == null) {
            return 0;
        }
        Deque<Instant> failures = map.get(key);
        if (failures == null) {
            return 0;
        }
        expire(failures, now);
        if (failures.isEmpty()) {
            map.remove(key);
        }
        return failures.size();
    }

    private static void add(Map<String, Deque<Instant>> map, String key, Instant now) {
        if (key == null) {
            return;
        }
        if (map.size() >= PRUNE_THRESHOLD) {
            map.values().removeIf(failures -> {
                expire(failures, now);
                return failures.isEmpty();
            });
        }
        Deque<Instant> failures = map.computeIfAbsent(key, k -> new ArrayDeque<>());
        expire(failures, now);
        failures.addLast(now);
    }

    private static void expire(Deque<Instant> failures, Instant now) {
        Instant cutoff = now.minus(WINDOW);
        while (!failures.isEmpty() && !failures.peekFirst().isAfter(cutoff)) {
            failures.removeFirst();
        }
    }
}
