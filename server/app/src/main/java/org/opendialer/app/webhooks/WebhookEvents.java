package org.opendialer.app.webhooks;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.function.Function;
import org.opendialer.app.ws.QualityWire;
import org.opendialer.app.ws.Wire;
import org.opendialer.core.calls.CallObserver;
import org.opendialer.core.calls.CallState;
import org.opendialer.core.calls.CallStore;
import org.opendialer.core.calls.CallView;
import org.opendialer.media.quality.QualitySummary;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns saved call states into webhook rows in the outbox: {@code call.started} for a call's first
 * state, {@code call.answered}, {@code call.ended}. Runs on the engine thread, before the dialers are
 * told of the state: one database insert, no network, so a dead or slow endpoint never holds a call up.
 */
public final class WebhookEvents implements CallObserver {
    static final String STARTED = "call.started";
    static final String ANSWERED = "call.answered";
    static final String ENDED = "call.ended";
    private static final Logger LOG = LoggerFactory.getLogger(WebhookEvents.class);

    private final WebhookOutbox outbox;
    private final Clock clock;
    private final Runnable wake;
    private final Function<String, QualitySummary> qualityOf;

    /** @param wake tells the dispatcher a row is waiting (never blocks) */
    public WebhookEvents(WebhookOutbox outbox, Clock clock, Runnable wake) {
        this(outbox, clock, wake, callId -> null);
    }

    /** @param qualityOf a call's stored quality summary (CallLog#quality), for call.ended; null when none */
    public WebhookEvents(WebhookOutbox outbox, Clock clock, Runnable wake, Function<String, QualitySummary> qualityOf) {
        this.outbox = outbox;
        this.clock = clock;
        this.wake = wake;
        this.qualityOf = qualityOf;
    }

    /**
     * Before the dialers are told: a dialer (and its host page) that has seen a state can count on its
     * webhook, even if the gateway is killed the next moment.
     */
    @Override
    public void callSaved(long userId, CallView view) {
        boolean queued = false;
        if (view.seq() == 1) {
            queued = queue(userId, view, STARTED);
        }
        if (view.state() == CallState.ANSWERED) {
            queued |= queue(userId, view, ANSWERED);
        } else if (view.state() == CallState.DISCONNECTED) {
            queued |= queue(userId, view, ENDED);
        }
        if (queued) {
            wake.run();
        }
    }

    @Override
    public void callChanged(long userId, CallView view, long sinceSipAnswerNanos) {
        // everything is done in callSaved
    }

    /**
     * At start, after the call log repair: queues call.ended for calls whose end the previous run never
     * queued (it was killed), so that every call that was announced is also ended.
     */
    public int queueEndsMissedByRestart(CallStore calls) {
        int n = 0;
        for (WebhookOutbox.CallRef ref : outbox.endedWithoutEvent()) {
            CallView view = calls.find(ref.userId(), ref.callId()).orElse(null);
            if (view != null && queue(ref.userId(), view, ENDED)) {
                n++;
            }
        }
        if (n > 0) {
            wake.run();
        }
        return n;
    }

    private boolean queue(long userId, CallView view, String type) {
        Instant now = clock.instant();
        try {
            QualitySummary quality = type.equals(ENDED) ? qualityOf.apply(view.id()) : null;
            outbox.add("msg_" + UUID.randomUUID().toString().replace("-", ""), view.id(), type,
                    payload(type, now, view, outbox.user(userId), quality), now);
            return true;
        } catch (RuntimeException e) {
            LOG.error("call {}: webhook {} not queued", view.id(), type, e);
            return false;
        }
    }

    static String payload(String type, Instant now, CallView view, WebhookOutbox.UserFields user) {
        return payload(type, now, view, user, null);
    }

    /**
     * {@code {type, timestamp, data: {call: {...the SDK's Call, end_reason, seq, user, duration, quality}}}};
     * {@code quality} only in call.ended, null when the call has no summary (docs/call-quality.md).
     */
    static String payload(String type, Instant now, CallView view, WebhookOutbox.UserFields user,
                          QualitySummary quality) {
        ObjectNode call = Wire.call(view);
        ObjectNode u = call.putObject("user");
        u.put("username", user == null ? null : user.username());
        u.put("extension", user == null ? null : user.extension());
        u.put("number", user == null ? null : user.number());
        if (view.state() == CallState.DISCONNECTED) {
            call.put("duration", view.answerTime() == null || view.endTime() == null ? 0
                    : Duration.between(view.answerTime(), view.endTime()).toMillis() / 1000.0);
            call.set("quality", quality == null ? null : QualityWire.summary(quality));
        } else {
            call.putNull("duration");
        }
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("type", type);
        body.put("timestamp", now.toString());
        body.putObject("data").set("call", call);
        return body.toString();
    }
}
