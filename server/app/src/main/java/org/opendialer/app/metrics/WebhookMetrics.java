package org.opendialer.app.metrics;

/** Webhook delivery outcomes, into the registry. */
public final class WebhookMetrics {
    public static final WebhookMetrics NONE = new WebhookMetrics(null);

    private final DialerMetrics m;

    WebhookMetrics(DialerMetrics metrics) {
        this.m = metrics;
    }

    public void delivered() {
        if (m != null) {
            m.webhookDelivered.increment();
        }
    }

    public void attemptFailed() {
        if (m != null) {
            m.webhookFailedAttempts.increment();
        }
    }

    public void givenUp() {
        if (m != null) {
            m.webhookGivenUp.increment();
        }
    }
}
