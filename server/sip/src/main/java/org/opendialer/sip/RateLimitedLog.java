package org.opendialer.sip;

import java.time.Duration;

/** One WARNING per interval, with the number of similar lines left out since the last one. */
final class RateLimitedLog {
    private final long intervalNanos;
    private long lastNanos;
    private boolean logged;
    private int suppressed;

    RateLimitedLog(Duration interval) {
        this.intervalNanos = interval.toNanos();
    }

    synchronized void warn(System.Logger log, String message) {
        long now = System.nanoTime();
        if (logged && now - lastNanos < intervalNanos) {
            suppressed++;
            return;
        }
        log.log(System.Logger.Level.WARNING, suppressed == 0 ? message
                : message + " (" + suppressed + " similar line(s) left out)");
        logged = true;
        lastNanos = now;
        suppressed = 0;
    }
}
