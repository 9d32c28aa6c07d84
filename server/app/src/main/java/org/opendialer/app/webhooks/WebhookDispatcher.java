package org.opendialer.app.webhooks;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.opendialer.app.metrics.WebhookMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Delivers the outbox: one thread takes at most {@value #BATCH} due rows (the oldest undelivered
 * event of each call), POSTs them concurrently, and records each outcome. A failed attempt is retried
 * with exponential backoff and jitter (5 s doubling to at most an hour, each delay drawn from its upper half) until the retry window
 * ends; then the row is marked failed for the admin API. Redirects are not followed (a 3xx fails the
 * attempt), every request has a timeout, response bodies are discarded: an unreachable, slow,
 * redirecting or failing endpoint costs at most one batch of requests in flight.
 */
public final class WebhookDispatcher implements AutoCloseable {
    static final int BATCH = 16;
    private static final Logger LOG = LoggerFactory.getLogger(WebhookDispatcher.class);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration FIRST_RETRY = Duration.ofSeconds(5);
    private static final Duration MAX_RETRY = Duration.ofHours(1);
    private static final long IDLE_POLL_MS = 1000;

    private final WebhookOutbox outbox;
    private final URI url;
    private final WebhookSigner signer;
    private final Duration retryFor;
    private final Duration firstRetry;
    private final Clock clock;
    private final WebhookMetrics metrics;
    private final HttpClient http;
    private final Thread thread;
    private final Object wakeLock = new Object();
    private boolean woken; // guarded by wakeLock
    private volatile boolean closed;
    private Instant lastPrune = Instant.EPOCH;

    public WebhookDispatcher(WebhookOutbox outbox, URI url, byte[] secret, Duration retryFor, Clock clock,
                             WebhookMetrics metrics) {
        this(outbox, url, secret, retryFor, clock, metrics, FIRST_RETRY);
    }

    /** As above with another first retry delay (tests). */
    WebhookDispatcher(WebhookOutbox outbox, URI url, byte[] secret, Duration retryFor, Clock clock,
                      WebhookMetrics metrics, Duration firstRetry) {
        this.firstRetry = firstRetry;
        this.outbox = outbox;
        this.url = url;
        this.signer = new WebhookSigner(secret);
        this.retryFor = retryFor;
        this.clock = clock;
        this.metrics = metrics;
        this.http = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(5))
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        this.thread = new Thread(this::run, "webhook-dispatcher");
        this.thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    /** A row was queued: look now instead of at the next poll. Never blocks. */
    public void wake() {
        synchronized (wakeLock) {
            woken = true;
            wakeLock.notifyAll();
        }
    }

    private void run() {
        while (!closed) {
            try {
                List<WebhookOutbox.Delivery> due = outbox.due(clock.instant(), BATCH);
                if (due.isEmpty()) {
                    pruneNowAndThen();
                    idle();
                } else {
                    deliver(due);
                }
            } catch (RuntimeException e) {
                LOG.warn("webhook outbox unavailable, retrying in a second: {}", e.toString());
                idle();
            }
        }
    }

    private void idle() {
        synchronized (wakeLock) {
            if (!woken && !closed) {
                try {
                    wakeLock.wait(IDLE_POLL_MS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    closed = true;
                }
            }
            woken = false;
        }
    }

    private void deliver(List<WebhookOutbox.Delivery> due) {
        List<CompletableFuture<String>> attempts = new ArrayList<>(due.size());
        for (WebhookOutbox.Delivery d : due) {
            attempts.add(post(d));
        }
        for (int i = 0; i < due.size(); i++) {
            WebhookOutbox.Delivery d = due.get(i);
            String error;
            try {
                error = attempts.get(i).get(REQUEST_TIMEOUT.toSeconds() + 5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                closed = true;
                return; // the rest stay pending and go out after the restart
            } catch (Exception e) {
                attempts.get(i).cancel(true);
                error = describe(e);
            }
            record(d, error);
        }
    }

    /** Completes with null on a 2xx, else with what went wrong. */
    private CompletableFuture<String> post(WebhookOutbox.Delivery d) {
        long timestamp = clock.instant().getEpochSecond();
        HttpRequest request = HttpRequest.newBuilder(url)
                .timeout(REQUEST_TIMEOUT)
                .header("content-type", "application/json")
                .header("user-agent", "opendialer-webhooks")
                .header("webhook-id", d.messageId())
                .header("webhook-timestamp", Long.toString(timestamp))
                .header("webhook-signature", signer.sign(d.messageId(), timestamp, d.payload()))
                .POST(HttpRequest.BodyPublishers.ofString(d.payload()))
                .build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.discarding())
                .handle((response, failure) -> {
                    if (failure != null) {
                        return describe(failure);
                    }
                    int status = response.statusCode();
                    return status >= 200 && status < 300 ? null : "HTTP " + status;
                });
    }

    private void record(WebhookOutbox.Delivery d, String error) {
        Instant now = clock.instant();
        MDC.put("call_id", d.callId());
        try {
            if (error == null) {
                outbox.delivered(d.id(), now);
                metrics.delivered();
                return;
            }
            metrics.attemptFailed();
            Instant next = now.plus(backoff(d.attempts() + 1));
            if (next.isAfter(d.createdAt().plus(retryFor))) {
                outbox.attemptFailed(d.id(), now, null, error);
                metrics.givenUp();
                LOG.error("webhook {} {} failed for {} and is given up after {} attempts: {}"
                        + " (retry it with the admin API)", d.type(), d.messageId(), retryFor, d.attempts() + 1, error);
            } else {
                outbox.attemptFailed(d.id(), now, next, error);
                LOG.warn("webhook {} {} attempt {} failed: {}; next at {}", d.type(), d.messageId(), d.attempts() + 1,
                        error, next);
            }
        } finally {
            MDC.remove("call_id");
        }
    }

    /** Jitter (a random delay in the upper half of the exponential bound) spreads retries of many rows apart. */
    Duration backoff(int attempt) {
        long bound = firstRetry.toMillis() << Math.min(attempt - 1, 20);
        bound = Math.min(bound, MAX_RETRY.toMillis());
        return Duration.ofMillis(bound / 2 + ThreadLocalRandom.current().nextLong(bound / 2 + 1));
    }

    private void pruneNowAndThen() {
        Instant now = clock.instant();
        if (Duration.between(lastPrune, now).toMinutes() >= 10) {
            lastPrune = now;
            outbox.prune(now, retryFor);
        }
    }

    private static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
    }

    @Override
    public void close() {
        closed = true;
        wake();
        thread.interrupt();
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
