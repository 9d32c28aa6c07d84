package org.opendialer.app;

import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.opendialer.app.admin.AdminApi;
import org.opendialer.app.health.NodeHealth;
import org.opendialer.app.http.DemoSite;
import org.opendialer.app.http.DialerRoutes;
import org.opendialer.app.http.SandboxRoutes;
import org.opendialer.sip.PemKeyStore;
import org.opendialer.app.metrics.DialerMetrics;
import org.opendialer.app.webhooks.Webhooks;
import org.opendialer.app.ws.InstrumentedMethods;
import org.opendialer.app.ws.WsMetrics;
import org.opendialer.app.ws.CallStarter;
import org.opendialer.app.ws.DialerMethods;
import org.opendialer.app.ws.MethodDispatcher;
import org.opendialer.app.ws.ProtocolCodec;
import org.opendialer.app.ws.WsEndpoint;
import org.opendialer.core.accounts.AccountService;
import org.opendialer.core.accounts.CallLog;
import org.opendialer.core.calls.PbxStatus;
import org.opendialer.core.config.GatewayConfig;
import org.opendialer.core.config.NodeConfig;
import org.opendialer.core.config.TrustedProxies;
import org.opendialer.core.numbers.NumberValidator;

/** The running web layer: the gateway's HTTP(S) server and, when enabled, the demo site. */
public final class GatewayServer implements AutoCloseable {
    private final Javalin gateway;
    private final Javalin demo;
    private final WsEndpoint ws;
    private final NodeHealth health;

    private GatewayServer(Javalin gateway, Javalin demo, WsEndpoint ws, NodeHealth health) {
        this.gateway = gateway;
        this.demo = demo;
        this.ws = ws;
        this.health = health;
    }

    public static GatewayServer start(GatewayConfig config, AccountService accounts, CallLog callLog,
            CallStarter calls)
            throws Exception {
        return start(config, accounts, callLog, calls, PbxStatus.NONE, null);
    }

    /**
     * As above, with the PBX registrations' status for the admin API, and with a running sandbox carrier
     * ({@code sandboxOrNull}) its /api/sandbox routes.
     */
    public static GatewayServer start(GatewayConfig config, AccountService accounts, CallLog callLog,
            CallStarter calls, PbxStatus pbx, org.opendialer.sandbox.Sandbox sandboxOrNull)
            throws Exception {
        return start(config, accounts, callLog, calls, pbx, sandboxOrNull, null, null);
    }

    /** As above, counting into {@code metricsOrNull}, with the webhook admin routes when {@code webhooksOrNull}. */
    public static GatewayServer start(GatewayConfig config, AccountService accounts, CallLog callLog,
            CallStarter calls, PbxStatus pbx, org.opendialer.sandbox.Sandbox sandboxOrNull,
            DialerMetrics metricsOrNull, Webhooks webhooksOrNull)
            throws Exception {
        return start(config, accounts, callLog, calls, pbx, sandboxOrNull, metricsOrNull, webhooksOrNull,
                NodeConfig.hostName());
    }

    /** As above; /healthz names the node {@code nodeName}. */
    public static GatewayServer start(GatewayConfig config, AccountService accounts, CallLog callLog,
            CallStarter calls, PbxStatus pbx, org.opendialer.sandbox.Sandbox sandboxOrNull,
            DialerMetrics metricsOrNull, Webhooks webhooksOrNull, String nodeName)
            throws Exception {
        String version = AppVersion.get();
        ProtocolCodec codec = new ProtocolCodec();
        WsMetrics wsMetrics = metricsOrNull == null ? WsMetrics.NONE : metricsOrNull.webSockets();
        MethodDispatcher dispatcher = new MethodDispatcher(codec, InstrumentedMethods.wrap(DialerMethods.create(
                accounts, new NumberValidator(config.defaultRegion()), calls, callLog, version, config), wsMetrics));
        WsEndpoint ws = new WsEndpoint(codec, dispatcher, calls, config.security().signInWindow(),
                config.security().anonymousSocketsPerAddress());
        ws.setMetrics(wsMetrics);
        TrustedProxies proxies = config.security().trustedProxies();
        ws.setTrustedProxies(proxies);
        if (metricsOrNull != null) {
            metricsOrNull.connectedDialers(ws::openConnections);
        }
        NodeHealth health = new NodeHealth(nodeName, ws::signedInConnections, calls::liveCalls);
        KeyStore keyStore = null;
        char[] keyStorePassword = null;
        if (config.tlsEnabled()) {
            byte[] random = new byte[18];
            new SecureRandom().nextBytes(random);
            keyStorePassword = Base64.getEncoder().encodeToString(random).toCharArray();
            keyStore = PemKeyStore.load(config.tlsCert().orElseThrow(), config.tlsKey().orElseThrow(),
                    keyStorePassword);
        }
        KeyStore tlsStore = keyStore;
        char[] tlsPassword = keyStorePassword;
        Javalin gateway = Javalin.create(app -> {
            app.startup.showJavalinBanner = false;
            app.startup.showOldJavalinVersionWarning = false;
            // ctx.ip() (admin API limits, logs): the client behind a trusted proxy (docs/security.md).
            app.contextResolver.ip = ctx -> proxies.clientAddress(ctx.req().getRemoteAddr(),
                    java.util.Collections.list(ctx.req().getHeaders("X-Forwarded-For")));
            app.jetty.modifyWebSocketServletFactory(factory -> {
                factory.setMaxTextMessageSize(WsEndpoint.JETTY_MAX_MESSAGE_BYTES);
                factory.setMaxBinaryMessageSize(WsEndpoint.JETTY_MAX_MESSAGE_BYTES);
                factory.setIdleTimeout(Duration.ofMinutes(2));
            });
            if (tlsStore != null) {
                addTlsConnector(app, config, tlsStore, tlsPassword);
            }
            app.routes.get("/healthz", health::handle);
            new DialerRoutes(config, version).register(app, ws);
            var adminGuard = AdminApi.register(app, accounts, callLog, config.adminKey().orElse(null), pbx,
                    config.security().adminFailuresPerAddress());
            if (webhooksOrNull != null) {
                webhooksOrNull.registerAdminRoutes(app, adminGuard);
            }
            if (sandboxOrNull != null) {
                SandboxRoutes.register(app, sandboxOrNull, config.allowedOrigins(),
                        to -> accounts.findUserForDialed(to).isPresent());
            }
        });
        Javalin demo = config.demoEnabled() ? DemoSite.create(config) : null;
        try {
            gateway.start(config.bindAddress(), config.httpPort());
            if (demo != null) {
                demo.start(config.bindAddress(), config.demoPort());
            }
        } catch (RuntimeException e) {
            gateway.stop();
            throw e;
        }
        return new GatewayServer(gateway, demo, ws, health);
    }

    /** /healthz: ServeCommand adds the database check; draining sets its status. */
    public NodeHealth health() {
        return health;
    }

    /** The dialers' WebSockets (draining refuses new ones and closes idle ones). */
    public WsEndpoint webSockets() {
        return ws;
    }

    public int httpPort() {
        return gateway.port();
    }

    /** Cluster mode: sends a dialer that signs in here to the node holding its user's live call. */
    public void redirectDialers(org.opendialer.app.ws.NodeRedirect redirect) {
        ws.setRedirect(redirect);
    }

    public int openConnections() {
        return ws.openConnections();
    }

    @Override
    public void close() {
        if (demo != null) {
            demo.stop();
        }
        gateway.stop();
        ws.close();
    }

    private static void addTlsConnector(JavalinConfig app, GatewayConfig config, KeyStore store,
            char[] password) {
        app.jetty.addConnector((server, httpConfig) -> {
            SslContextFactory.Server tls = new SslContextFactory.Server();
            tls.setKeyStore(store);
            tls.setKeyStorePassword(new String(password));
            HttpConfiguration https = new HttpConfiguration(httpConfig);
            SecureRequestCustomizer secure = new SecureRequestCustomizer();
            // Browsers send no SNI for IP addresses, and self-signed local certs rarely match.
            secure.setSniHostCheck(false);
            https.addCustomizer(secure);
            ServerConnector connector = new ServerConnector(server,
                    new SslConnectionFactory(tls, "http/1.1"), new HttpConnectionFactory(https));
            connector.setHost(config.bindAddress());
            connector.setPort(config.httpPort());
            return connector;
        });
    }
}
