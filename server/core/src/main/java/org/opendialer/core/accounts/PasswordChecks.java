package org.opendialer.core.accounts;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs Argon2 verifications on a fixed pool (about one thread per core) with a bounded queue (a burst of honest sign-ins waits a second or two), so that
 * however many sign-ins arrive, at most {@code threads} hashes (19 MiB each) are in memory and CPU use
 * is bounded. A check that finds the queue full, or another check from its address pending, is
 * refused at once ({@link Busy}), never queued.
 */
final class PasswordChecks implements AutoCloseable {

    static final int QUEUE_PER_THREAD = 50;
    private static final long WAIT_SECONDS = 30;

    /** The pool and its queue are full, or the check was abandoned (its connection closed). */
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
    private final java.util.Set<String> inFlight = java.util.concurrent.ConcurrentHashMap.newKeySet();

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
     * Verifies on the pool. An address gets one check at a time, so a few flooding addresses cannot
     * queue dozens of hashes ahead of an honest sign-in from elsewhere: it waits behind at most one
     * check per other address.
     */
    boolean verify(String address, String password, String encoded) throws Busy {
        if (!inFlight.add(address)) {
            throw new Busy("a password check from this address is already running", true);
        }
        try {
            return run(password, encoded);
        } finally {
            inFlight.remove(address);
        }
    }

    private boolean run(String password, String encoded) throws Busy {
        Future<Boolean> result;
        try {
            result = pool.submit(() -> hasher.verify(password, encoded));
        } catch (RejectedExecutionException e) {
            throw new Busy("password checks saturated");
        }
        try {
            return result.get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            result.cancel(true);
            throw new Busy("abandoned while waiting for a password check");
        } catch (TimeoutException e) {
            result.cancel(true);
            throw new Busy("no password check within " + WAIT_SECONDS + " s");
        } catch (ExecutionException e) {
            throw new IllegalStateException("password check failed", e.getCause());
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
