package org.opendialer.app.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import org.opendialer.media.MediaMetrics;

/**
 * The gateway's one metrics registry: every metric is declared here, once, with its help text
 * (docs/operations.md lists them). Code that counts holds one of the typed handles below or calls
 * one of the methods that pick a labelled handle; it never names a metric. Label values come from
 * bounded sets (enums, SIP methods, status codes), never user names or numbers.
 */
public final class DialerMetrics implements AutoCloseable {
    /** Methods counted by name; anything else is "other", so a sender cannot mint label values. */
    private static final Set<String> SIP_METHODS = Set.of("INVITE", "ACK", "BYE", "CANCEL", "REGISTER",
            "OPTIONS", "INFO", "UPDATE", "PRACK", "REFER", "NOTIFY", "SUBSCRIBE", "MESSAGE", "PUBLISH");
    private static final Duration[] SIGNALLING_BUCKETS = buckets(5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000);
    private static final Duration[] RING_BUCKETS = buckets(250, 500, 1000, 2000, 5000, 10_000, 20_000, 30_000, 60_000);

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private final Map<String, Counter> labelled = new ConcurrentHashMap<>();

    final AtomicInteger liveCalls = new AtomicInteger();
    final Timer placeCallToInvite;
    final Timer answerToEvent;
    final Timer iceConnect;
    final Timer dtlsHandshake;
    final Counter srtpAuthFailures;
    final Map<MediaMetrics.Direction, Counter> relayedPackets = new EnumMap<>(MediaMetrics.Direction.class);
    final Map<MediaMetrics.Direction, Counter> relayedBytes = new EnumMap<>(MediaMetrics.Direction.class);
    final Map<MediaMetrics.Direction, Counter> droppedPackets = new EnumMap<>(MediaMetrics.Direction.class);
    final Map<MediaMetrics.Direction, Counter> lostPackets = new EnumMap<>(MediaMetrics.Direction.class);
    final Counter wsConnections;
    final Counter wsFramesIn;
    final Counter wsFramesOut;
    final Counter wsErrors;
    final Counter webhookDelivered;
    final Counter webhookFailedAttempts;
    final Counter webhookGivenUp;

    public DialerMetrics() {
        // Two of Micrometer's own names fail promtool's lint: process_cpu_time_ns_total (an abbreviated
        // unit; process_cpu_usage and the JVM's own CPU time remain) and system_cpu_count (a gauge named
        // _count); the second is published as dialer_host_cpus instead.
        registry.config().meterFilter(MeterFilter.deny(id -> id.getName().equals("process.cpu.time")
                || id.getName().equals("system.cpu.count")));
        Gauge.builder("dialer.host.cpus", Runtime.getRuntime(), Runtime::availableProcessors)
                .description("Processors available to the gateway's JVM").register(registry);
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);

        Gauge.builder("dialer.calls.live", liveCalls, AtomicInteger::get)
                .description("Calls not yet ended (each user's side of an extension call counts once)")
                .register(registry);
        placeCallToInvite = Timer.builder("dialer.place.call.to.invite")
                .description("From a placeCall request's arrival to its INVITE sent (or the callee's dialers rung)")
                .serviceLevelObjectives(SIGNALLING_BUCKETS).register(registry);
        answerToEvent = Timer.builder("dialer.answer.to.event")
                .description("From the far end's 200 OK arrival to the answered event handed to the dialers")
                .serviceLevelObjectives(SIGNALLING_BUCKETS).register(registry);
        iceConnect = Timer.builder("dialer.ice.connect")
                .description("From a browser leg's creation to its first valid ICE connectivity check")
                .serviceLevelObjectives(SIGNALLING_BUCKETS).register(registry);
        dtlsHandshake = Timer.builder("dialer.dtls.handshake")
                .description("From a browser's first DTLS datagram to the SRTP keys installed")
                .serviceLevelObjectives(SIGNALLING_BUCKETS).register(registry);
        srtpAuthFailures = Counter.builder("dialer.srtp.auth.failures")
                .description("SRTP/SRTCP packets from browsers that failed authentication (forged, replayed, corrupt)")
                .register(registry);
        for (MediaMetrics.Direction d : MediaMetrics.Direction.values()) {
            relayedPackets.put(d, Counter.builder("dialer.relay.packets").tag("direction", d.label())
                    .description("RTP packets relayed").register(registry));
            relayedBytes.put(d, Counter.builder("dialer.relay.payload.bytes").tag("direction", d.label())
                    .description("RTP payload bytes relayed").baseUnit("bytes").register(registry));
            droppedPackets.put(d, Counter.builder("dialer.relay.dropped.packets").tag("direction", d.label())
                    .description("RTP packets received and not relayed (malformed, codec not negotiated, send failed)")
                    .register(registry));
            lostPackets.put(d, Counter.builder("dialer.relay.lost.packets").tag("direction", d.label())
                    .description("RTP packets missing by sequence number on arrival (RFC 3550 A.3)")
                    .register(registry));
        }
        wsConnections = Counter.builder("dialer.websocket.connections")
                .description("WebSocket connections opened by dialers").register(registry);
        wsFramesIn = Counter.builder("dialer.websocket.frames").tag("direction", "in")
                .description("WebSocket frames").register(registry);
        wsFramesOut = Counter.builder("dialer.websocket.frames").tag("direction", "out")
                .description("WebSocket frames").register(registry);
        wsErrors = Counter.builder("dialer.websocket.errors")
                .description("WebSocket errors (protocol violations, I/O errors, oversized frames)").register(registry);
        webhookDelivered = Counter.builder("dialer.webhook.deliveries").tag("outcome", "delivered")
                .description("Webhook delivery outcomes").register(registry);
        webhookFailedAttempts = Counter.builder("dialer.webhook.deliveries").tag("outcome", "failed_attempt")
                .description("Webhook delivery outcomes").register(registry);
        webhookGivenUp = Counter.builder("dialer.webhook.deliveries").tag("outcome", "given_up")
                .description("Webhook delivery outcomes").register(registry);
    }

    /** Connected dialers: the gateway's open WebSocket connections, read at each scrape. */
    public void connectedDialers(IntSupplier open) {
        Gauge.builder("dialer.dialers.connected", open, s -> s.getAsInt())
                .description("Dialer WebSocket connections open now").strongReference(true).register(registry);
    }

    /** Webhook deliveries waiting in the outbox (read from the database at each scrape, cached). */
    public void webhookQueueDepth(IntSupplier depth) {
        Gauge.builder("dialer.webhook.queue.depth", depth, s -> s.getAsInt())
                .description("Webhook deliveries waiting or retrying").strongReference(true).register(registry);
    }

    void callStarted(String direction) {
        counter("dialer.calls.started", "Calls started", "direction", direction).increment();
    }

    void callEnded(String direction, String result, String endReason) {
        counter("dialer.calls.ended", "Calls ended", "direction", direction, "result", result,
                "end_reason", endReason).increment();
    }

    Timer inviteToAnswer(String direction) {
        return Timer.builder("dialer.invite.to.answer").tag("direction", direction)
                .description("From a call's start (INVITE sent or received) to its answer")
                .serviceLevelObjectives(RING_BUCKETS).register(registry);
    }

    void sipRequestReceived(String method) {
        counter("dialer.sip.requests", "SIP requests received", "method", sipMethod(method)).increment();
    }

    void sipResponseReceived(String method, int status) {
        counter("dialer.sip.responses", "SIP responses received to the gateway's requests", "method",
                sipMethod(method), "status", status >= 100 && status <= 699 ? Integer.toString(status) : "other")
                .increment();
    }

    void signIn(String method, String outcome) {
        counter("dialer.sign.ins", "Dialer sign-ins by method and outcome (ok or the protocol error code)",
                "method", method, "outcome", outcome).increment();
    }

    public CallMetrics calls() {
        return new CallMetrics(this);
    }

    public SipTrafficMetrics sip() {
        return new SipTrafficMetrics(this);
    }

    public RelayMetrics media() {
        return new RelayMetrics(this);
    }

    public WebSocketMetrics webSockets() {
        return new WebSocketMetrics(this);
    }

    public WebhookMetrics webhooks() {
        return new WebhookMetrics(this);
    }

    /** The Prometheus text exposition (format 0.0.4). */
    public String scrape() {
        return registry.scrape();
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }

    private Counter counter(String name, String help, String... tags) {
        String key = name + String.join("\u0000", tags);
        return labelled.computeIfAbsent(key, k -> Counter.builder(name).description(help).tags(tags).register(registry));
    }

    private static String sipMethod(String method) {
        return SIP_METHODS.contains(method) ? method : "other";
    }

    private static Duration[] buckets(long... millis) {
        Duration[] d = new Duration[millis.length];
        for (int i = 0; i < millis.length; i++) {
            d[i] = Duration.ofMillis(millis[i]);
        }
        return d;
    }
}
