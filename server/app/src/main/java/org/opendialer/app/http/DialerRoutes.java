package org.opendialer.app.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.ForbiddenResponse;
import io.javalin.http.HttpStatus;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.opendialer.app.ws.WsEndpoint;
import org.opendialer.core.config.GatewayConfig;

/** The gateway's public HTTP surface: SDK bundles, the dialer app, its config, health and /ws. */
public final class DialerRoutes {
    private static final String SDK_CACHE = "public, max-age=300";
    /** Where index.html takes the dialer config inline, so the dialer needs no config.json round trip. */
    static final String CONFIG_PLACEHOLDER = "<!--dialer-config-->";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final GatewayConfig config;
    private final OriginPolicy origins;
    private final StaticFiles sdkFiles;
    private final StaticFiles dialerFiles;
    private final String version;

    public DialerRoutes(GatewayConfig config, String version) {
        this.config = config;
        this.origins = new OriginPolicy(config);
        this.sdkFiles = new StaticFiles(config.webDir().resolve("sdk/dist"));
        this.dialerFiles = new StaticFiles(config.webDir().resolve("dialer/dist"));
        this.version = version;
    }

    public void register(JavalinConfig app, WsEndpoint ws) {
        app.router.ignoreTrailingSlashes = false;
        app.routes.before(ctx -> {
            if (ctx.path().startsWith("/dialer/")) {
                ctx.header("Content-Security-Policy", origins.dialerContentSecurityPolicy());
                ctx.header("X-Content-Type-Options", "nosniff");
                ctx.header("Referrer-Policy", "no-referrer");
            }
        });
        app.routes.get("/healthz", ctx -> ctx.json(Map.of("status", "ok")));
        app.routes.get("/sdk/{file}", ctx -> {
            ctx.header("Access-Control-Allow-Origin", "*");
            sdkFiles.serve(ctx, ctx.pathParam("file"), SDK_CACHE, UnaryOperator.identity());
        });
        app.routes.get("/dialer", DialerRoutes::redirectToSlash);
        app.routes.get("/dialer/config.json", this::dialerConfig);
        UnaryOperator<String> withConfig = html -> inlineConfig(html, configJson());
        app.routes.get("/dialer/", ctx -> dialerFiles.serve(ctx, "index.html", "no-cache", withConfig));
        app.routes.get("/dialer/<path>", ctx -> {
            String path = ctx.pathParam("path");
            String cache = path.endsWith(".html") ? "no-cache" : "public, max-age=300";
            dialerFiles.serve(ctx, path, cache, withConfig);
        });
        app.routes.wsBeforeUpgrade("/ws", ctx -> {
            if (!origins.mayOpenWebSocket(ctx.header("Origin"), ctx.scheme(), ctx.header("Host"))) {
                throw new ForbiddenResponse("WebSocket origin not allowed");
            }
        });
        app.routes.ws("/ws", ws::configure);
    }

    private Map<String, Object> configBody() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("allowedOrigins", config.allowedOrigins());
        body.put("defaultRegion", config.defaultRegion());
        body.put("version", version);
        return body;
    }

    private String configJson() {
        try {
            return JSON.writeValueAsString(configBody());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private void dialerConfig(Context ctx) {
        ctx.header("Cache-Control", "no-store");
        ctx.json(configBody());
    }

    /**
     * Replaces the placeholder in the dialer's index.html with the config as a JSON data block
     * ({@code <script type="application/json">}, which no CSP runs). {@code <}, {@code >} and
     * {@code &} are escaped so no value can close the element. Without a placeholder the page is
     * left as it is, and the dialer fetches config.json instead.
     */
    static String inlineConfig(String html, String json) {
        if (!html.contains(CONFIG_PLACEHOLDER)) {
            return html;
        }
        String safe = json.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026");
        return html.replace(CONFIG_PLACEHOLDER,
                "<script type=\"application/json\" id=\"dialer-config\">" + safe + "</script>");
    }

    private static void redirectToSlash(Context ctx) {
        String query = ctx.queryString();
        ctx.redirect("/dialer/" + (query == null || query.isEmpty() ? "" : "?" + query),
                HttpStatus.MOVED_PERMANENTLY);
    }
}
