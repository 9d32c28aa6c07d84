package org.opendialer.app.metrics;

import java.util.concurrent.TimeUnit;
import org.opendialer.media.MediaMetrics;

/** The media relay's counts, into the registry; handles are looked up once, so the packet path does no map work. */
public final class RelayMetrics implements MediaMetrics {
    private final DialerMetrics m;

    RelayMetrics(DialerMetrics metrics) {
        this.m = metrics;
    }

    @Override
    public void relayed(Direction direction, int payloadBytes) {
        m.relayedPackets.get(direction).increment();
        m.relayedBytes.get(direction).increment(payloadBytes);
    }

    @Override
    public void dropped(Direction direction) {
        m.droppedPackets.get(direction).increment();
    }

    @Override
    public void lost(Direction direction, int packets) {
        m.lostPackets.get(direction).increment(packets);
    }

    @Override
    public void srtpAuthenticationFailed() {
        m.srtpAuthFailures.increment();
    }

    @Override
    public void iceConnected(long nanos) {
        m.iceConnect.record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void dtlsConnected(long nanos) {
        m.dtlsHandshake.record(nanos, TimeUnit.NANOSECONDS);
    }
}
