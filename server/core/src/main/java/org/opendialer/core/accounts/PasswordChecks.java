package org.opendialer.core.accounts;

import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs Argon2 verifications on a fixed pool (about one thread per core) with a bounded queue (a burst of
 * honest sign-ins waits a second or two), so that however many sign-ins arrive, at most {@code threads}
 * hashes (19 MiB each) are in memory and CPU use is bounded. A check that finds the queue full, or
 * another check from its address pending, is refused at once ({@link Busy}), never queued.
 *
 * <p>Nobody waits for a check: {@link #verify} returns a future, so a flood of sign-ins never holds
 * the threads that read WebSocket frames (an honest sign-in went unanswered for a minute when they did).
 */
final class PasswordChecks implements AutoCloseable {

    static final int QUEUE_PER_THREAD = 50;
    private static final long WAIT_SECONDS = 30;

    /** The pool and its queue are full, or the check was not done in time. */
    static final class Busy extends Exception {
        final boolean thisAddress;

        Busy(String why) {
            this(why, false);
        }

        Busy(String why, boolean thisAddress) {
            super(why, null, false, false);
            this.thisAddress = thisAddress;
        }
    }

    private final PasswordHasher hasher;
    private final ThreadPoolExecutor pool;
    /** Client addresses with a check queued or running: one each, so no address can fill the queue. */
    private final Map<String, CompletableFuture<Boolean>> inFlight = new ConcurrentHashMap<>();

    PasswordChecks(PasswordHasher hasher, int threads) {
        this.hasher = hasher;
        AtomicInteger n = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(threads * QUEUE_PER_THREAD), r -> {
                    Thread t = new Thread(r, "password-check-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        pool.allowCoreThreadTimeOut(true);
    }

    /**
     * Queues a verification and returns at once. An address gets one check at a time, so a few flooding
     * addresses cannot queue dozens of hashes ahead of an honest sign-in from elsewhere: it waits behind
     * at most one check per other address. The future completes with the answer on a pool thread, or
     * with a {@link TimeoutException} after {@value #WAIT_SECONDS} s (see {@link #busy}), and then a
     * hash still queued is skipped.
     *
     * @throws Busy at once, when this address already has a check pending or the queue is full
     */
    CompletableFuture<Boolean> verify(String address, String password, String encoded) throws Busy {
        CompletableFuture<Boolean> result = new CompletableFuture<>();
        if (inFlight.putIfAbsent(address, result) != null) {
            throw new Busy("a password check from this address is already running", true);
        }
        try {
            pool.execute(() -> {
                if (result.isDone()) {
                    return; // timed out while queued: nobody waits for this hash any more
                }
                try {
                    finish(address, result, hasher.verify(password, encoded), null);
                } catch (RuntimeException e) {
                    finish(address, result, null, new IllegalStateException("password check failed", e));
                }
            });
        } catch (RejectedExecutionException e) {
            inFlight.remove(address, result);
            throw new Busy("password checks saturated");
        }
        CompletableFuture.delayedExecutor(WAIT_SECONDS, TimeUnit.SECONDS)
                .execute(() -> finish(address, result, null, new TimeoutException()));
        return result;
    }

    /**
     * Frees the address before completing: what completes the future answers the client, which may
     * send its next attempt at once, and that one must not find this check still pending.
     */
    private void finish(String address, CompletableFuture<Boolean> result, Boolean correct, Throwable failure) {
        inFlight.remove(address, result);
        if (failure == null) {
            result.complete(correct);
        } else {
            result.completeExceptionally(failure);
        }
    }

    /** The {@link Busy} a failed check stands for, or null when it failed for another reason. */
    static Busy busy(Throwable failure) {
        Throwable e = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        if (e instanceof TimeoutException) {
            return new Busy("no password check within " + WAIT_SECONDS + " s");
        }
        return e instanceof Busy b ? b : null;
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
