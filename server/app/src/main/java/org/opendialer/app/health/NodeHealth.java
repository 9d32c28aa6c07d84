package org.opendialer.app.health;

import io.javalin.http.Context;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntSupplier;

/**
 * {@code GET /healthz}: {@code {"status", "node", "dialers", "calls"}} and, when not ok, {@code "reason"}.
 * 200 with status {@code ok}; 503 with {@code draining} (SIGTERM: no new calls, so a load balancer sends new
 * dialers elsewhere) or {@code unavailable} (a {@link Check} failed: the database or the SIP edge cannot be
 * reached). Cheap by design: it reads counters and the last result of each check, which run on their own
 * timers, so a probe every second costs no query and a hung database cannot hang the probe.
 */
public final class NodeHealth {

    /** Something the node needs to take calls. */
    public interface Check {
        /** Null when fine, else why not, for people ("database unreachable for 7 s: ..."). */
        String problem();
    }

    /** One answer of /healthz. */
    public record Report(int httpStatus, Map<String, Object> body) {}

    private final String node;
    private final IntSupplier dialers;
    private final IntSupplier calls;
    private final List<Check> checks = new CopyOnWriteArrayList<>();
    private volatile boolean draining;

    public NodeHealth(String node, IntSupplier dialers, IntSupplier calls) {
        this.node = node;
        this.dialers = dialers;
        this.calls = calls;
    }

    public NodeHealth add(Check check) {
        checks.add(check);
        return this;
    }

    /** From now on the node reports {@code draining} (503). */
    public void draining() {
        draining = true;
    }

    public String node() {
        return node;
    }

    public Report report() {
        String problem = null;
        for (Check check : checks) {
            problem = check.problem();
            if (problem != null) {
                break;
            }
        }
        String status = problem != null ? "unavailable" : draining ? "draining" : "ok";
        var body = new java.util.LinkedHashMap<String, Object>();
        body.put("status", status);
        body.put("node", node);
        body.put("dialers", dialers.getAsInt());
        body.put("calls", calls.getAsInt());
        if (problem != null) {
            body.put("reason", problem);
        } else if (draining) {
            body.put("reason", "draining: no new calls; exits when the calls it has ended");
        }
        return new Report(status.equals("ok") ? 200 : 503, body);
    }

    public void handle(Context ctx) {
        Report report = report();
        ctx.header("Cache-Control", "no-store");
        ctx.status(report.httpStatus()).json(report.body());
    }
}
