package org.opendialer.app.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.opendialer.app.metrics.WebhookMetrics;
import org.opendialer.core.accounts.Database;
import org.opendialer.core.calls.CallDirection;
import org.opendialer.core.calls.CallResult;
import org.opendialer.core.calls.CallState;
import org.opendialer.core.calls.CallView;
import org.opendialer.core.calls.EndReason;

/**
 * The outbox and dispatcher against a real HTTP receiver (the JDK's server), on each database the
 * gateway supports: {@link WebhookDeliveryH2Test}, {@link WebhookDeliveryPostgresTest}.
 */
abstract class WebhookDeliveryContract {
    private static final byte[] SECRET = new byte[32];
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A database with the gateway's schema and an empty outbox, for one test. */
    abstract Database emptyDatabase() throws Exception;

    /** After a test: close a database of its own, keep a shared one. */
    abstract void release(Database db);

    private final Database db = open();
    private final WebhookOutbox outbox = new WebhookOutbox(db);
    private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
    private HttpServer receiver;
    private WebhookDispatcher dispatcher;

    record Received(String id, String timestamp, String signature, String body) {}

    private void startReceiver(IntSupplier status, CountDownLatch gate) throws IOException {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook", exchange -> {
            try {
                gate.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            int code = status.getAsInt();
            if (code == 302) {
                exchange.getResponseHeaders().add("Location", "/elsewhere");
            }
            if (code >= 200 && code < 300) {
                received.add(new Received(exchange.getRequestHeaders().getFirst("webhook-id"),
                        exchange.getRequestHeaders().getFirst("webhook-timestamp"),
                        exchange.getRequestHeaders().getFirst("webhook-signature"), body));
            }
            exchange.sendResponseHeaders(code, -1);
            exchange.close();
        });
        receiver.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        receiver.start();
    }

    private WebhookDispatcher dispatcher(Duration retryFor) {
        URI url = URI.create("http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook");
        dispatcher = new WebhookDispatcher(outbox, url, SECRET, retryFor, Clock.systemUTC(), WebhookMetrics.NONE,
                Duration.ofMillis(50));
        return dispatcher;
    }

    @AfterEach
    void stop() {
        if (dispatcher != null) {
            dispatcher.close();
        }
        if (receiver != null) {
            receiver.stop(0);
        }
        release(db);
    }

    private Database open() {
        try {
            return emptyDatabase();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static CallView view(String id, CallState state, long seq) {
        Instant start = Instant.parse("2026-12-05T10:00:00Z");
        boolean ended = state == CallState.DISCONNECTED;
        return new CallView(id, state, CallDirection.OUTBOUND, ended ? CallResult.ANSWERED : null, "1001",
                "+12025550143", null, start, state == CallState.CONNECTING ? null : start.plusSeconds(3),
                ended ? start.plusSeconds(65) : null, ended ? EndReason.LOCAL_HANGUP : null, seq);
    }

    private void placeAndEnd(WebhookEvents events, String callId) {
        events.callSaved(1, view(callId, CallState.CONNECTING, 1));
        events.callSaved(1, view(callId, CallState.ANSWERED, 2));
        events.callSaved(1, view(callId, CallState.DISCONNECTED, 3));
    }

    @Test
    void failingEndpoint_isRetriedWithTheSameWebhookId_andEachCallArrivesInOrder() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        startReceiver(() -> attempts.incrementAndGet() <= 4 ? 503 : 200, new CountDownLatch(0));
        WebhookDispatcher d = dispatcher(Duration.ofHours(1));
        WebhookEvents events = new WebhookEvents(outbox, Clock.systemUTC(), d::wake);
        placeAndEnd(events, "call-a");
        placeAndEnd(events, "call-b");
        List<String> queuedIds = outbox.ofCall("call-a").stream().map(WebhookOutbox.Delivery::messageId).toList();
        d.start();

        List<Received> got = new java.util.ArrayList<>();
        for (int i = 0; i < 6; i++) {
            Received r = received.poll(30, TimeUnit.SECONDS);
            assertThat(r).as("delivery %d", i).isNotNull();
            got.add(r);
        }
        assertThat(attempts.get()).isGreaterThan(6);
        for (String call : List.of("call-a", "call-b")) {
            List<String> types = got.stream().map(r -> body(r).path("data").path("call"))
                    .filter(c -> c.path("id").asText().equals(call))
                    .map(c -> c.path("state").asText()).toList();
            assertThat(types).as(call).containsExactly("connecting", "answered", "disconnected");
        }
        assertThat(got.stream().filter(r -> body(r).path("data").path("call").path("id").asText().equals("call-a"))
                .map(Received::id).toList()).containsExactlyElementsOf(queuedIds);
        for (Received r : got) {
            assertThat(r.signature()).isEqualTo(new WebhookSigner(SECRET).sign(r.id(), Long.parseLong(r.timestamp()), r.body()));
        }
        JsonNode ended = got.stream().map(this::body).filter(b -> b.path("type").asText().equals("call.ended"))
                .findFirst().orElseThrow();
        assertThat(ended.path("data").path("call").path("duration").asDouble()).isEqualTo(62.0);
        assertThat(ended.path("data").path("call").path("end_reason").asText()).isEqualTo("local_hangup");
        assertThat(ended.path("data").path("call").has("user")).isTrue();
        // The receiver records a request before it answers 200; the dispatcher marks the delivery only
        // once that answer is back, so the last one may still be pending for a moment here.
        for (int i = 0; i < 200 && !outbox.undelivered(null, 10).isEmpty(); i++) {
            Thread.sleep(25);
        }
        assertThat(outbox.undelivered(null, 10)).isEmpty();
    }

    @Test
    void redirectingEndpoint_isNotFollowed_andTheDeliveryIsGivenUpAfterTheWindow_thenRetriedByAdmin() throws Exception {
        AtomicInteger status = new AtomicInteger(302);
        startReceiver(status::get, new CountDownLatch(0));
        WebhookDispatcher d = dispatcher(Duration.ofMillis(300));
        WebhookEvents events = new WebhookEvents(outbox, Clock.systemUTC(), d::wake);
        events.callSaved(1, view("call-r", CallState.CONNECTING, 1));
        d.start();
        List<WebhookOutbox.Delivery> failed = List.of();
        for (int i = 0; i < 300 && failed.isEmpty(); i++) {
            Thread.sleep(50);
            failed = outbox.undelivered(WebhookOutbox.FAILED, 10);
        }
        assertThat(failed).hasSize(1);
        assertThat(failed.get(0).lastError()).isEqualTo("HTTP 302");
        assertThat(received).isEmpty();

        status.set(204);
        assertThat(outbox.retry(failed.get(0).messageId(), Instant.now())).isTrue();
        d.wake();
        Received r = received.poll(30, TimeUnit.SECONDS);
        assertThat(r).isNotNull();
        assertThat(r.id()).isEqualTo(failed.get(0).messageId());
    }

    @Test
    void slowEndpoint_neverHoldsTheEngineThread_theEventIsOnlyQueued() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        startReceiver(() -> 200, gate);
        WebhookDispatcher d = dispatcher(Duration.ofHours(1));
        d.start();
        WebhookEvents events = new WebhookEvents(outbox, Clock.systemUTC(), d::wake);
        for (int i = 0; i < 40; i++) {
            placeAndEnd(events, "call-s" + i); // returns although the receiver answers nothing while the gate is shut
        }
        assertThat(outbox.undelivered(WebhookOutbox.PENDING, 1000)).hasSize(120);
        gate.countDown();
        for (int i = 0; i < 120; i++) {
            assertThat(received.poll(60, TimeUnit.SECONDS)).as("delivery %d", i).isNotNull();
        }
    }

    private JsonNode body(Received r) {
        try {
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
