package org.opendialer.app.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.opendialer.sandbox.CallMeRefusedException;
import org.opendialer.sandbox.Sandbox;
import org.opendialer.sandbox.TestNumber;

/**
 * The sandbox carrier's HTTP surface, registered only while the sandbox runs (no DIALER_SIP_TRUNK), so a
 * 404 on {@code GET /api/sandbox} means "a real trunk". Host pages of the allowed origins may read it
 * across origins (CORS); other origins get no CORS headers, and their POSTs a 403.
 *
 * <pre>
 * GET  /api/sandbox          200 {"sandbox": true, "call_me_seconds": 30,
 *                                "numbers": [{"e164", "behaviour", "description"}, ...]}
 * POST /api/sandbox/call-me  {"to": "1001"}: 202 {"status": "calling"}; 400 bad input; 404 no such user;
 *                            429 a call-me call in progress or too soon (Retry-After)
 * </pre>
 */
public final class SandboxRoutes {
    static final String PATH = "/api/sandbox";
    static final String CALL_ME_PATH = PATH + "/call-me";
    private static final int MAX_BODY_BYTES = 4096;
    private static final Pattern TARGET = Pattern.compile("\\+?[0-9]{2,15}");
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Sandbox sandbox;
    private final Set<String> allowedOrigins;
    private final Predicate<String> userExists;

    private SandboxRoutes(Sandbox sandbox, List<String> allowedOrigins, Predicate<String> userExists) {
        this.sandbox = sandbox;
        this.allowedOrigins = allowedOrigins.stream().map(o -> o.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
        this.userExists = userExists;
    }

    /**
     * @param allowedOrigins the host-page origins allowed to embed the dialer (DIALER_ALLOWED_ORIGINS)
     * @param userExists     whether a user has this extension or E.164 number
     */
    public static void register(JavalinConfig app, Sandbox sandbox, List<String> allowedOrigins,
                                Predicate<String> userExists) {
        SandboxRoutes routes = new SandboxRoutes(sandbox, allowedOrigins, userExists);
        app.routes.get(PATH, routes::describe);
        app.routes.options(CALL_ME_PATH, routes::preflight);
        app.routes.post(CALL_ME_PATH, routes::callMe);
    }

    private void describe(Context ctx) {
        allowCors(ctx);
        ObjectNode body = MAPPER.createObjectNode();
        body.put("sandbox", true);
        body.put("call_me_seconds", sandbox.settings().callMeDuration().toSeconds());
        ArrayNode numbers = body.putArray("numbers");
        for (TestNumber n : sandbox.testNumbers()) {
            numbers.addObject().put("e164", n.e164()).put("behaviour", n.behaviour())
                    .put("description", n.description());
        }
        ctx.header("Cache-Control", "no-store");
        send(ctx, 200, body);
    }

    /** CORS preflight (the JSON POST is not a "simple" request): only for the allowed origins. */
    private void preflight(Context ctx) {
        if (!allowCors(ctx)) {
            ctx.status(403);
            return;
        }
        ctx.header("Access-Control-Allow-Methods", "POST");
        ctx.header("Access-Control-Allow-Headers", "Content-Type");
        ctx.header("Access-Control-Max-Age", "600");
        ctx.status(204);
    }

    private void callMe(Context ctx) {
        String origin = ctx.header("Origin");
        if (origin != null && !allowCors(ctx)) {
            // Browsers send Origin on every cross-origin POST: a page we do not know may not ring our users.
            error(ctx, 403, "origin_not_allowed", "this origin may not use the sandbox");
            return;
        }
        String to = readTarget(ctx);
        if (to == null) {
            error(ctx, 400, "invalid_request", "send {\"to\": \"<extension or E.164 number>\"}");
            return;
        }
        if (!TARGET.matcher(to).matches()) {
            error(ctx, 400, "invalid_target", "'to' must be an extension or an E.164 number (digits, optional '+')");
            return;
        }
        if (!userExists.test(to)) {
            error(ctx, 404, "no_such_user", "no user has the extension or number " + to);
            return;
        }
        try {
            sandbox.callUser(to);
        } catch (CallMeRefusedException e) {
            ctx.header("Retry-After", String.valueOf(Math.max(1, e.retryAfter().toSeconds())));
            error(ctx, 429, "call_me_refused", forPeople(e));
            return;
        } catch (IllegalArgumentException e) {
            error(ctx, 400, "invalid_target", forPeople(e));
            return;
        } catch (IllegalStateException e) {
            error(ctx, 503, "sandbox_unavailable", forPeople(e));
            return;
        }
        ObjectNode body = MAPPER.createObjectNode();
        body.put("status", "calling");
        send(ctx, 202, body);
    }

    /** The sandbox's message without the "SANDBOX: " its log lines start with. */
    private static String forPeople(RuntimeException e) {
        String message = e.getMessage() == null ? "the sandbox refused" : e.getMessage();
        return message.startsWith("SANDBOX: ") ? message.substring("SANDBOX: ".length()) : message;
    }

    /** The trimmed "to" of a JSON body of at most 4 KiB, or null. */
    private static String readTarget(Context ctx) {
        if (ctx.req().getContentLengthLong() > MAX_BODY_BYTES) {
            return null;
        }
        try (InputStream in = ctx.bodyInputStream()) {
            byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
            if (body.length == 0 || body.length > MAX_BODY_BYTES) {
                return null;
            }
            JsonNode json = MAPPER.readTree(body);
            JsonNode to = json == null ? null : json.get("to");
            return to != null && to.isTextual() ? to.asText().strip() : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** Adds the CORS headers when the request's Origin is allowed; true if it is. */
    private boolean allowCors(Context ctx) {
        ctx.header("Vary", "Origin");
        String origin = ctx.header("Origin");
        if (origin == null || !allowedOrigins.contains(origin.toLowerCase(Locale.ROOT))) {
            return false;
        }
        ctx.header("Access-Control-Allow-Origin", origin);
        return true;
    }

    private static void error(Context ctx, int status, String code, String message) {
        ObjectNode body = MAPPER.createObjectNode();
        body.put("error", code);
        body.put("message", message);
        send(ctx, status, body);
    }

    private static void send(Context ctx, int status, JsonNode body) {
        try {
            ctx.status(status).contentType("application/json").result(MAPPER.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a JSON tree", e);
        }
    }
}
