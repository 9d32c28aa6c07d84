package org.opendialer.media.relay;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.opendialer.media.MediaMetrics;
import org.opendialer.media.dtls.DtlsCertificate;
import org.opendialer.media.dtls.DtlsSrtpServer;
import org.opendialer.media.dtls.DtlsWarmUp;
import org.opendialer.media.tone.TonePattern;
import org.opendialer.media.webrtc.WebRtcEndpoint;

/**
 * The gateway's media relay: every browser leg on one shared WebRTC port ({@link WebRtcEndpoint}:
 * one receive thread does STUN, demultiplexing and SRTP), every SIP-side RTP socket on one
 * selector thread, and one timer thread for RTP timeouts and RTCP reports. No thread per call;
 * BouncyCastle's blocking DTLS handshakes borrow pooled threads for their tens of milliseconds.
 */
public final class MediaRelay implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(MediaRelay.class.getName());

    private final RelaySettings settings;
    private final WebRtcEndpoint endpoint;
    private final RtpIoLoop io;
    private final RtpPortAllocator ports;
    private final ScheduledExecutorService timer;
    private final Set<MediaSession> sessions = ConcurrentHashMap.newKeySet();
    private final LongAdder droppedOnArrival = new LongAdder();
    private final LongAdder strangers = new LongAdder();
    private final LongAdder closedRelayed = new LongAdder();
    private final LongAdder closedDropped = new LongAdder();
    private final long timeoutNanos;
    private final long reportIntervalNanos;
    private volatile boolean closed;
    private volatile MediaMetrics metrics = MediaMetrics.NONE;
    private volatile List<TonePattern.Segment> ringback = TonePattern.RINGBACK_US;

    private MediaRelay(RelaySettings settings, WebRtcEndpoint endpoint, RtpIoLoop io, long reportIntervalNanos) {
        this.reportIntervalNanos = reportIntervalNanos;
        this.settings = settings;
        this.endpoint = endpoint;
        this.io = io;
        this.ports = new RtpPortAllocator(settings.bindAddress(), settings.rtpPortMin(), settings.rtpPortMax());
        this.timeoutNanos = settings.rtpTimeout().toNanos();
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "media-timer");
            t.setDaemon(true);
            return t;
        });
        // Timeouts are checked at a fifth of the timeout (at least every 10 ms, at most every 500 ms).
        long tick = Math.max(10, Math.min(500, Math.min(Math.min(settings.rtpTimeout().toMillis(),
                settings.connectTimeout().toMillis()), reportIntervalNanos / 1_000_000) / 5));
        timer.scheduleWithFixedDelay(this::tick, tick, tick, TimeUnit.MILLISECONDS);
    }

    /** Binds the shared WebRTC port, starts the I/O threads, and warms DTLS up in the background. */
    public static MediaRelay open(RelaySettings settings) throws IOException {
        return open(settings, java.time.Duration.ofNanos(MediaSession.REPORT_INTERVAL_NANOS));
    }

    /** As {@link #open(RelaySettings)} with another RTCP report interval (tests). */
    static MediaRelay open(RelaySettings settings, java.time.Duration reportInterval) throws IOException {
        Objects.requireNonNull(settings, "settings");
        DtlsCertificate certificate = DtlsCertificate.generate();
        WebRtcEndpoint endpoint = WebRtcEndpoint.open(new InetSocketAddress(settings.bindAddress(), settings.webRtcPort()),
                settings.webRtcTcpPort(), certificate);
        RtpIoLoop io;
        try {
            io = new RtpIoLoop("rtp-io", new LongAdder());
        } catch (IOException | RuntimeException e) {
            endpoint.close();
            throw e;
        }
        MediaRelay relay = new MediaRelay(settings, endpoint, io, reportInterval.toNanos());
        Thread warmUp = new Thread(() -> {
            try {
                LOG.log(System.Logger.Level.DEBUG, "DTLS warm-up handshakes: {0}",
                        DtlsWarmUp.run(new DtlsSrtpServer(certificate), 2));
            } catch (IOException | RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "DTLS warm-up failed (first calls will be slower)", e);
            }
        }, "dtls-warm-up");
        warmUp.setDaemon(true);
        warmUp.start();
        return relay;
    }

    public int webRtcPort() {
        return endpoint.localPort();
    }

    /** The ICE-TCP port, or 0 when there is none. */
    public int webRtcTcpPort() {
        return endpoint.tcpPort();
    }

    public RelaySettings settings() {
        return settings;
    }

    /** What a caller waiting in a transfer hears from this relay's sessions (DIALER_RINGBACK); US by default. */
    public void setRingback(List<TonePattern.Segment> pattern) {
        this.ringback = List.copyOf(pattern);
    }

    List<TonePattern.Segment> ringback() {
        return ringback;
    }

    public MediaSession newSession(MediaSession.Listener listener) {
        if (closed) {
            throw new IllegalStateException("media relay closed");
        }
        MediaSession session = new MediaSession(this, listener, timeoutNanos, reportIntervalNanos,
                settings.connectTimeout().toNanos());
        sessions.add(session);
        return session;
    }

    /** Where relayed, dropped and lost packets, handshake times and SRTP failures are counted. */
    public void setMetrics(MediaMetrics metrics) {
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        endpoint.setMetrics(metrics);
    }

    MediaMetrics metrics() {
        return metrics;
    }

    public RelayStats stats() {
        long relayed = closedRelayed.sum();
        long dropped = closedDropped.sum() + droppedOnArrival.sum() + io.dropped() + endpoint.droppedDatagrams();
        int active = 0;
        for (MediaSession session : sessions) {
            active++;
            relayed += session.relayedPackets();
            dropped += session.droppedPackets();
        }
        return new RelayStats(active, relayed, dropped);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        timer.shutdownNow();
        for (MediaSession session : sessions) {
            session.close();
        }
        io.close();
        endpoint.close();
    }

    // ---- for MediaSession ---------------------------------------------------------------

    /** Runs {@code task} every {@code millis} on the timer thread until cancelled (tones); a failure is logged. */
    java.util.concurrent.ScheduledFuture<?> every(long millis, Runnable task) {
        return timer.scheduleAtFixedRate(() -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, "tone frame failed", e);
            }
        }, 0, millis, TimeUnit.MILLISECONDS);
    }

    WebRtcEndpoint endpoint() {
        return endpoint;
    }

    String advertisedAddress() {
        return settings.advertisedAddress();
    }

    RtpLeg newRtpLeg(MediaSession session) throws IOException {
        if (closed) {
            throw new IOException("media relay closed");
        }
        return new RtpLeg(session, io, ports);
    }

    void droppedOnArrival() {
        droppedOnArrival.increment();
    }

    void fromStranger() {
        droppedOnArrival.increment();
        strangers.increment();
    }

    /**
     * Packets to SIP-side RTP/RTCP ports from a host that is neither the far end's SDP host nor its
     * SIP host: dropped, never relayed, never latched. Also counted in {@link RelayStats#packetsDropped}.
     */
    public long packetsFromStrangers() {
        return strangers.sum();
    }

    void closed(MediaSession session) {
        if (sessions.remove(session)) {
            closedRelayed.add(session.relayedPackets());
            closedDropped.add(session.droppedPackets());
        }
    }

    private void tick() {
        long now = System.nanoTime();
        for (MediaSession session : sessions) {
            try {
                session.tick(now);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, "media timer failed for a session", e);
            }
        }
    }
}
