package org.opendialer.core.limits;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * A token bucket per key (a client address, or one shared key for a global limit): {@code perMinute}
 * events at once, refilled evenly over a minute. The map is bounded: when full, buckets that have
 * refilled are dropped, and if it is still full a new key is refused (fail closed), so a flood of
 * addresses cannot grow the heap. Hand-written rather than Bucket4j + Caffeine: docs/decisions/0006.
 */
public final class RateLimiter {

    private static final long MINUTE_NANOS = Duration.ofMinutes(1).toNanos();

    private final Clock clock;
    private final int perMinute;
    private final int maxKeys;
    private final Map<String, Bucket> buckets = new HashMap<>();

    private static final class Bucket {
        double tokens;
        long atNanos;
    }

    public RateLimiter(Clock clock, int perMinute, int maxKeys) {
        if (perMinute < 1 || maxKeys < 1) {
            throw new IllegalArgumentException("perMinute and maxKeys must be positive");
        }
        this.clock = clock;
        this.perMinute = perMinute;
        this.maxKeys = maxKeys;
    }

    /** Takes one event for {@code key}: {@link Duration#ZERO} when allowed, else how long until one would be. */
    public synchronized Duration tryAcquire(String key) {
        long now = nanos();
        Bucket bucket = buckets.get(key);
        if (bucket == null) {
            if (buckets.size() >= maxKeys) {
                buckets.values().removeIf(b -> refill(b, now) >= perMinute);
                if (buckets.size() >= maxKeys) {
                    return Duration.ofMinutes(1);
                }
            }
            bucket = new Bucket();
            bucket.tokens = perMinute;
            bucket.atNanos = now;
            buckets.put(key, bucket);
        }
        double tokens = refill(bucket, now);
        if (tokens >= 1) {
            bucket.tokens = tokens - 1;
            return Duration.ZERO;
        }
        bucket.tokens = tokens;
        long waitNanos = (long) Math.ceil((1 - tokens) * MINUTE_NANOS / perMinute);
        return Duration.ofNanos(Math.max(waitNanos, 1));
    }

    public int perMinute() {
        return perMinute;
    }

    synchronized int keys() {
        return buckets.size();
    }

    private double refill(Bucket bucket, long now) {
        long elapsed = Math.max(0, now - bucket.atNanos);
        bucket.atNanos = now;
        bucket.tokens = Math.min(perMinute, bucket.tokens + (double) elapsed * perMinute / MINUTE_NANOS);
        return bucket.tokens;
    }

    private long nanos() {
        var instant = clock.instant();
        return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
    }

    /** Whole seconds, rounded up, for messages and Retry-After. */
    public static long seconds(Duration wait) {
        return Math.max(1, (wait.toMillis() + 999) / 1000);
    }
}
