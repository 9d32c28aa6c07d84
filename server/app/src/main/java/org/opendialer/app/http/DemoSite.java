package org.opendialer.app.http;

import io.javalin.Javalin;
import org.opendialer.core.config.GatewayConfig;

/** A stand-in customer page on its own port (and so its own origin) that embeds the dialer. */
public final class DemoSite {
    private DemoSite() {}

    /** Creates the demo server; start it with {@code start(bindAddress, demoPort)}. */
    public static Javalin create(GatewayConfig config) {
        StaticFiles files = new StaticFiles(config.webDir().resolve("demo"));
        String gatewayUrl = config.publicUrlText();
        return Javalin.create(app -> {
            app.startup.showJavalinBanner = false;
            app.router.ignoreTrailingSlashes = false;
            app.routes.get("/", ctx -> files.serve(ctx, "index.html", "no-cache",
                    html -> html.replace("__GATEWAY_URL__", gatewayUrl)));
            app.routes.get("/<path>", ctx -> files.serve(ctx, ctx.pathParam("path"), "no-cache",
                    html -> html.replace("__GATEWAY_URL__", gatewayUrl)));
        });
    }
}
