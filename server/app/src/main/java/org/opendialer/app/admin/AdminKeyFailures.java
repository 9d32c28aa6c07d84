package org.opendialer.app.admin;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wrong admin keys per client address in fixed one-minute windows. Over the limit, the address is
 * refused (429) until its window ends, before its key is even compared. Logging is one WARN line per
 * address and window (the first failure), carrying the count of the window before, so a brute force
 * at thousands of attempts a second leaves a few lines a minute, not one per attempt.
 */
final class AdminKeyFailures {
    private static final Logger LOG = LoggerFactory.getLogger(AdminKeyFailures.class);
    static final Duration WINDOW = Duration.ofMinutes(1);
    private static final int MAX_ADDRESSES = 10_000;

    private final Clock clock;
    private final int perWindow;
    private final Map<String, Window> byAddress = new HashMap<>();

    private static final class Window {
        Instant start;
        int failures;
        int previousFailures;
    }

    AdminKeyFailures(Clock clock, int perWindow) {
        this.clock = clock;
        this.perWindow = perWindow;
    }

    /** Zero when the address may try a key; else how long until it may. */
    synchronized Duration refusedFor(String address) {
        Window w = current(address, clock.instant(), false);
        if (w == null || w.failures < perWindow) {
            return Duration.ZERO;
        }
        return Duration.between(clock.instant(), w.start.plus(WINDOW));
    }

    synchronized void recordFailure(String address) {
        Instant now = clock.instant();
        Window w = current(address, now, true);
        if (w == null) {
            return;
        }
        w.failures++;
        if (w.failures == 1) {
            LOG.warn("admin API: wrong admin key from {}{}; further failures from it this minute are counted, "
                    + "over {} refused with 429", address, w.previousFailures > 1
                    ? " (" + w.previousFailures + " wrong keys in the minute before)" : "", perWindow);
        }
    }

    private Window current(String address, Instant now, boolean create) {
        Window w = byAddress.get(address);
        if (w != null && !now.isBefore(w.start.plus(WINDOW))) {
            // A new window: remember the count of the last one for its summary line, only if adjacent.
            boolean adjacent = now.isBefore(w.start.plus(WINDOW.multipliedBy(2)));
            w.previousFailures = adjacent ? w.failures : 0;
            w.failures = 0;
            w.start = now;
            if (!create && w.previousFailures == 0) {
                byAddress.remove(address);
                return null;
            }
        }
        if (w == null) {
            if (!create) {
                return null;
            }
            if (byAddress.size() >= MAX_ADDRESSES) {
                byAddress.values().removeIf(x -> !now.isBefore(x.start.plus(WINDOW)));
                if (byAddress.size() >= MAX_ADDRESSES) {
                    return null;
                }
            }
            w = new Window();
            w.start = now;
            byAddress.put(address, w);
        }
        return w;
    }
}
