package org.opendialer.app.metrics;

import org.opendialer.sip.SipMetrics;

/** The SIP user agent's counts, into the registry. */
public final class SipTrafficMetrics implements SipMetrics {
    private final DialerMetrics m;

    SipTrafficMetrics(DialerMetrics metrics) {
        this.m = metrics;
    }

    @Override
    public void requestReceived(String method) {
        m.sipRequestReceived(method);
    }

    @Override
    public void responseReceived(String method, int status) {
        m.sipResponseReceived(method, status);
    }
}
