package org.opendialer.core.calls;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The call engine's one thread, and a timer thread that only hands work to it. Tasks run in submission
 * order; {@link #await} is for callers outside the thread (never call it from a task: it would wait for
 * itself).
 */
final class EngineThread {
    private static final Logger LOG = LoggerFactory.getLogger(EngineThread.class);
    private static final long REQUEST_TIMEOUT_S = 20;

    private final ExecutorService thread = Executors.newSingleThreadExecutor(daemon("opendialer-calls"));
    private final ScheduledExecutorService timers =
            Executors.newSingleThreadScheduledExecutor(daemon("opendialer-call-timers"));

    /** Queues a task without waiting; a failing task is logged, a task after shutdown is dropped. */
    void execute(Runnable task) {
        try {
            thread.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    LOG.error("call engine task failed", e);
                }
            });
        } catch (RejectedExecutionException e) {
            LOG.debug("call engine stopped; task dropped");
        }
    }

    /** Runs {@code task} on the thread and returns its result or rethrows its exception, bounded. */
    <T> T await(Callable<T> task) {
        Future<T> result;
        // The caller's log context (user, call id: set by the WebSocket layer) follows the request, so the
        // engine's lines for it can be found by call id (docs/operations.md, logs).
        java.util.Map<String, String> context = org.slf4j.MDC.getCopyOfContextMap();
        try {
            result = thread.submit(() -> {
                if (context != null) {
                    org.slf4j.MDC.setContextMap(context);
                }
                try {
                    return task.call();
                } finally {
                    org.slf4j.MDC.clear();
                }
            });
        } catch (RejectedExecutionException e) {
            throw new CallException(CallException.Reason.CALLS_UNAVAILABLE, "The gateway is shutting down.");
        }
        try {
            return result.get(REQUEST_TIMEOUT_S, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("call engine did not answer within " + REQUEST_TIMEOUT_S + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
    }

    /** Runs {@code task} on the thread after {@code delay}. */
    ScheduledFuture<?> schedule(Runnable task, Duration delay) {
        return timers.schedule(() -> execute(task), delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    void shutdown() {
        thread.shutdown();
        timers.shutdownNow();
        try {
            thread.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
