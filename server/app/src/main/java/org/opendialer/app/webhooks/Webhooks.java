package org.opendialer.app.webhooks;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Handler;
import java.time.Clock;
import java.util.function.UnaryOperator;
import org.opendialer.app.metrics.WebhookMetrics;
import org.opendialer.core.accounts.CallLog;
import org.opendialer.core.accounts.Database;
import org.opendialer.core.calls.CallObserver;
import org.opendialer.core.calls.CallStore;
import org.opendialer.core.config.OpsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The webhook feature, wired: the outbox, the events that fill it, the dispatcher that empties it. */
public final class Webhooks implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Webhooks.class);

    private final WebhookOutbox outbox;
    private final WebhookDispatcher dispatcher;
    private final WebhookEvents events;
    private final Clock clock;

    private Webhooks(WebhookOutbox outbox, WebhookDispatcher dispatcher, Clock clock, CallLog log) {
        this.outbox = outbox;
        this.dispatcher = dispatcher;
        this.clock = clock;
        this.events = new WebhookEvents(outbox, clock, dispatcher::wake, log::quality);
    }

    /** Not yet delivering: call {@link #start(CallStore)} after the call engine has repaired the call log. */
    public static Webhooks create(Database db, OpsConfig.Webhook config, Clock clock, WebhookMetrics metrics) {
        WebhookOutbox outbox = new WebhookOutbox(db);
        return new Webhooks(outbox, new WebhookDispatcher(outbox, config.url(), config.secret(), config.retryFor(),
                clock, metrics), clock, new CallLog(db));
    }

    /** Queues the ends a killed previous run missed, then starts delivering (waiting rows first). */
    public void start(CallStore calls) {
        int waiting = outbox.allDue(clock.instant());
        if (waiting > 0) {
            LOG.info("{} webhook delivery(ies) left by the previous run are tried now", waiting);
        }
        int missed = events.queueEndsMissedByRestart(calls);
        if (missed > 0) {
            LOG.info("queued call.ended for {} call(s) the previous run ended without it", missed);
        }
        dispatcher.start();
    }

    public CallObserver events() {
        return events;
    }

    public WebhookOutbox outbox() {
        return outbox;
    }

    /** @param guard the admin API's key check (AdminApi.register) */
    public void registerAdminRoutes(JavalinConfig app, UnaryOperator<Handler> guard) {
        WebhookAdminRoutes.register(app, outbox, guard, clock, dispatcher::wake);
    }

    @Override
    public void close() {
        dispatcher.close();
    }
}
