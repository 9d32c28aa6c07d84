package org.opendialer.sip;

/**
 * How many UPDATEs one call answers per second: a token bucket of {@link #BURST}, refilled at {@link #PER_SECOND}
 * a second. A far end that floods UPDATEs gets 500 with Retry-After (RFC 3311 5.2) for the excess instead of
 * making us parse SDP and re-point the relay each time. Guarded by the call's monitor.
 */
final class UpdateLimiter {
    static final int BURST = 10;
    static final int PER_SECOND = 5;

    private double tokens = BURST;
    private long last = Long.MIN_VALUE;

    boolean tryAcquire(long nowNanos) {
        if (last != Long.MIN_VALUE) {
            tokens = Math.min(BURST, tokens + (nowNanos - last) / 1e9 * PER_SECOND);
        }
        last = nowNanos;
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }
}
