package org.opendialer.app.metrics;

import io.javalin.Javalin;

/** {@code GET /metrics} on its own port, so the gateway's public port never exposes it. */
public final class MetricsServer implements AutoCloseable {
    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
    private final Javalin server;

    private MetricsServer(Javalin server) {
        this.server = server;
    }

    public static MetricsServer start(DialerMetrics metrics, String bindAddress, int port) {
        Javalin server = Javalin.create(app -> {
            app.startup.showJavalinBanner = false;
            app.startup.showOldJavalinVersionWarning = false;
            app.routes.get("/metrics", ctx -> ctx.contentType(PROMETHEUS_TEXT).result(metrics.scrape()));
        });
        server.start(bindAddress, port);
        return new MetricsServer(server);
    }

    public int port() {
        return server.port();
    }

    @Override
    public void close() {
        server.stop();
    }
}
