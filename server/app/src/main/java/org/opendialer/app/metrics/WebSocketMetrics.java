package org.opendialer.app.metrics;

import java.util.concurrent.TimeUnit;
import org.opendialer.app.ws.WsMetrics;

/** WebSocket traffic, sign-ins and placeCall timing, into the registry. */
public final class WebSocketMetrics implements WsMetrics {
    private final DialerMetrics m;

    WebSocketMetrics(DialerMetrics metrics) {
        this.m = metrics;
    }

    @Override
    public void connectionOpened() {
        m.wsConnections.increment();
    }

    @Override
    public void frameReceived() {
        m.wsFramesIn.increment();
    }

    @Override
    public void frameSent() {
        m.wsFramesOut.increment();
    }

    @Override
    public void error() {
        m.wsErrors.increment();
    }

    @Override
    public void signIn(String method, String outcome) {
        m.signIn(method, outcome);
    }

    @Override
    public void placeCallHandled(long nanos) {
        m.placeCallToInvite.record(nanos, TimeUnit.NANOSECONDS);
    }
}
