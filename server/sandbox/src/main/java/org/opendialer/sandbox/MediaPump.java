package org.opendialer.sandbox;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The sandbox's one media and timer thread. Every 10 ms it reflects what echo calls received and, every
 * second tick, sends one 20 ms frame on each tone call. A demo carrier needs no more: one non-blocking
 * socket per call and one thread for all of them, however many calls there are.
 */
final class MediaPump implements AutoCloseable {
    private static final long TICK_MILLIS = 10;

    private final ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1, r -> {
        Thread t = new Thread(r, "sandbox-media");
        t.setDaemon(true);
        return t;
    });
    private final Set<RtpSession> sessions = ConcurrentHashMap.newKeySet();
    private final ByteBuffer buffer = ByteBuffer.allocate(2048);
    private long ticks;

    MediaPump() {
        scheduler.setRemoveOnCancelPolicy(true);
        scheduler.scheduleAtFixedRate(this::tick, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
    }

    void add(RtpSession session) {
        sessions.add(session);
    }

    void remove(RtpSession session) {
        sessions.remove(session);
    }

    /** Runs {@code task} on the pump's thread after {@code delay}; a failure is logged, not thrown. */
    ScheduledFuture<?> schedule(Runnable task, Duration delay) {
        return scheduler.schedule(() -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                SandboxLog.warn("timer task failed: " + e);
            }
        }, delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void tick() {
        boolean frameDue = (ticks++ & 1) == 0;
        for (RtpSession s : sessions) {
            try {
                if (s.mode() == RtpSession.Mode.ECHO) {
                    s.echo(buffer);
                } else if (frameDue) {
                    s.sendToneFrame(buffer);
                }
            } catch (IOException | RuntimeException e) {
                // A closed socket (the call just ended) or an unreachable far end: keep the others going.
                SandboxLog.debug("RTP error: " + e);
            }
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
