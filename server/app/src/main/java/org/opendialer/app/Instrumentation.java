package org.opendialer.app;

import org.opendialer.app.metrics.DialerMetrics;
import org.opendialer.app.webhooks.Webhooks;
import org.opendialer.core.calls.CallEngine;
import org.opendialer.core.calls.CallObserver;
import org.opendialer.media.relay.MediaRelay;
import org.opendialer.sip.SipMetrics;

/** Hooks metrics and webhooks into the call engine, its SIP agent and the media relay (each may be off). */
final class Instrumentation {
    private Instrumentation() {}

    static void wire(CallEngine calls, MediaRelay relay, DialerMetrics metricsOrNull, Webhooks webhooksOrNull) {
        CallObserver observer = CallObserver.NONE;
        SipMetrics sip = SipMetrics.NONE;
        if (metricsOrNull != null) {
            observer = metricsOrNull.calls();
            sip = metricsOrNull.sip();
            relay.setMetrics(metricsOrNull.media());
        }
        if (webhooksOrNull != null) {
            // Webhooks first: the outbox row is the promise, the metric only a count.
            observer = observer == CallObserver.NONE ? webhooksOrNull.events()
                    : CallObserver.both(webhooksOrNull.events(), observer);
        }
        calls.instrument(observer, sip);
    }
}
