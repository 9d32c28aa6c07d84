package org.opendialer.app.webhooks;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.time.Clock;
import java.time.Instant;
import java.util.function.UnaryOperator;
import org.opendialer.app.admin.AdminApi;

/** Admin API routes of the webhook outbox (docs/admin-api.md): list deliveries that wait or failed, retry them. */
public final class WebhookAdminRoutes {
    private static final String PREFIX = "/api/v1/webhooks/deliveries";
    private static final int DEFAULT_LIMIT = 100;
    private static final int MAX_LIMIT = 1000;

    private WebhookAdminRoutes() {}

    /** @param wake tells the dispatcher that retried rows are due */
    public static void register(JavalinConfig app, WebhookOutbox outbox, UnaryOperator<Handler> guard, Clock clock,
                                Runnable wake) {
        app.routes.get(PREFIX, guard.apply(ctx -> list(ctx, outbox)));
        app.routes.post(PREFIX + "/retry-failed", guard.apply(ctx -> {
            int n = outbox.retryFailed(clock.instant());
            wake.run();
            send(ctx, 200, JsonNodeFactory.instance.objectNode().put("retried", n));
        }));
        app.routes.post(PREFIX + "/{id}/retry", guard.apply(ctx -> {
            String id = ctx.pathParam("id");
            if (!outbox.retry(id, clock.instant())) {
                throw AdminApi.error(404, "not_found", "no waiting or failed webhook delivery " + printable(id));
            }
            wake.run();
            send(ctx, 200, JsonNodeFactory.instance.objectNode().put("retried", 1));
        }));
    }

    private static void list(Context ctx, WebhookOutbox outbox) {
        String status = ctx.queryParam("status");
        if (status != null && !status.equals(WebhookOutbox.PENDING) && !status.equals(WebhookOutbox.FAILED)) {
            throw AdminApi.error(400, "bad_request", "status must be pending or failed");
        }
        int limit = DEFAULT_LIMIT;
        String limitText = ctx.queryParam("limit");
        if (limitText != null) {
            try {
                limit = Integer.parseInt(limitText);
            } catch (NumberFormatException e) {
                limit = -1;
            }
            if (limit < 1 || limit > MAX_LIMIT) {
                throw AdminApi.error(400, "bad_request", "limit must be an integer from 1 to " + MAX_LIMIT);
            }
        }
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        ArrayNode list = body.putArray("deliveries");
        for (WebhookOutbox.Delivery d : outbox.undelivered(status, limit)) {
            ObjectNode row = list.addObject();
            row.put("id", d.messageId());
            row.put("type", d.type());
            row.put("call_id", d.callId());
            row.put("status", d.status());
            row.put("attempts", d.attempts());
            row.put("created_at", iso(d.createdAt()));
            row.put("next_attempt_at", d.status().equals(WebhookOutbox.PENDING) ? iso(d.nextAttemptAt()) : null);
            row.put("last_attempt_at", iso(d.lastAttemptAt()));
            row.put("last_error", d.lastError());
        }
        send(ctx, 200, body);
    }

    private static void send(Context ctx, int status, ObjectNode body) {
        ctx.status(status).contentType("application/json").result(body.toString());
    }

    private static String iso(Instant t) {
        return t == null ? null : t.toString();
    }

    private static String printable(String s) {
        return s.length() > 64 ? s.substring(0, 64) + "…" : s.replaceAll("[\\p{Cc}\\p{Cf}]", "?");
    }
}
