package org.opendialer.app.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.ForbiddenResponse;
import io.javalin.http.HttpStatus;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.opendialer.app.ws.WsEndpoint;
import org.opendialer.core.config.GatewayConfig;

/** The gateway's public HTTP surface: SDK bundles, the dialer app, its config, health and /ws. */
public final class DialerRoutes {
    private static final String SDK_CACHE = "public, max-age=300";
    /** Where index.html takes the dialer config inline, so the dialer needs no config.json round trip. */
    static final String CONFIG_PLACEHOLDER = "<!--dialer-config-->";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern INLINE_MODULE = Pattern.compile("<script type=\"module\">(.*?)</script>", Pattern.DOTALL);
    private static final Pattern CONTENT_HASHED = Pattern.compile("chunk-[A-Z0-9]{8,}\\.js");
    private static final String IMMUTABLE = "public, max-age=31536000, immutable";
    /** One year; no includeSubDomains: the gateway cannot speak for its parent domain's other hosts. */
    static final String HSTS = "max-age=31536000";

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
        boolean tls = config.tlsEnabled();
        app.routes.before(ctx -> {
            // Every response (/api, /healthz, /sdk, /dialer, errors): no content sniffing, and with TLS, HSTS.
            ctx.header("X-Content-Type-Options", "nosniff");
            if (tls) {
                ctx.header("Strict-Transport-Security", HSTS);
            }
            if (ctx.path().startsWith("/dialer/")) {
                ctx.header("Content-Security-Policy", origins.dialerContentSecurityPolicy());
                ctx.header("Referrer-Policy", "no-referrer");
            }
        });
        app.routes.get("/sdk/{file}", ctx -> {
            ctx.header("Access-Control-Allow-Origin", "*");
            sdkFiles.serve(ctx, ctx.pathParam("file"), SDK_CACHE, UnaryOperator.identity());
        });
        app.routes.get("/dialer", DialerRoutes::redirectToSlash);
        app.routes.get("/dialer/config.json", this::dialerConfig);
        app.routes.get("/dialer/", ctx -> dialerFiles.serve(ctx, "index.html", "no-cache", page(ctx)));
        app.routes.get("/dialer/<path>", ctx -> {
            String path = ctx.pathParam("path");
            dialerFiles.serve(ctx, path, dialerCacheControl(path), page(ctx));
        });
        app.routes.wsBeforeUpgrade("/ws", ctx -> {
            if (!origins.mayOpenWebSocket(ctx.header("Origin"), ctx.scheme(), ctx.header("Host"))) {
                throw new ForbiddenResponse("WebSocket origin not allowed");
            }
            if (ws.draining()) {
                // The edge (HAProxy) retries another node; a dialer's own reconnect backs off and tries again.
                throw new io.javalin.http.ServiceUnavailableResponse("This gateway is draining: connect to another node");
            }
        });
        app.routes.ws("/ws", ws::configure);
    }

    /**
     * Cache-Control of a file under /dialer/: HTML is revalidated on every load (the config is in it);
     * {@code chunk-<hash>.js} is named after its content, so it never changes; the rest for 5 minutes.
     */
    static String dialerCacheControl(String path) {
        if (path.endsWith(".html")) {
            return "no-cache";
        }
        if (CONTENT_HASHED.matcher(path).matches()) {
            return IMMUTABLE;
        }
        return "public, max-age=300";
    }

    /** The HTML filter of one request: the config goes in, and the CSP allows the page's inline modules. */
    private UnaryOperator<String> page(Context ctx) {
        return html -> {
            String page = inlineConfig(html, configJson());
            List<String> hashes = inlineScriptHashes(page);
            if (!hashes.isEmpty()) {
                ctx.header("Content-Security-Policy", origins.dialerContentSecurityPolicy(hashes));
            }
            return page;
        };
    }

    /**
     * The CSP hashes ({@code sha256-<base64>}) of the inline {@code <script type="module">} elements
     * of a page, hashed as written. Data blocks (the JSON config) are never run and need none.
     */
    static List<String> inlineScriptHashes(String html) {
        List<String> hashes = new ArrayList<>();
        Matcher m = INLINE_MODULE.matcher(html);
        while (m.find()) {
            try {
                byte[] digest = MessageDigest.getInstance("SHA-256").digest(m.group(1).getBytes(StandardCharsets.UTF_8));
                hashes.add("sha256-" + Base64.getEncoder().encodeToString(digest));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
        return hashes;
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
