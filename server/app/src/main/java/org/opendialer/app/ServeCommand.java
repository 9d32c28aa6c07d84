package org.opendialer.app;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.security.SecureRandom;
import java.time.Clock;
import org.opendialer.app.health.DatabaseCheck;
import org.opendialer.app.health.TrunkRegistrationCheck;
import org.opendialer.app.metrics.DialerMetrics;
import org.opendialer.app.metrics.MetricsServer;
import org.opendialer.app.metrics.WebhookMetrics;
import org.opendialer.app.webhooks.Webhooks;
import org.opendialer.app.ws.EngineCalls;
import org.opendialer.core.accounts.AccountService;
import org.opendialer.core.accounts.CallLog;
import org.opendialer.core.accounts.Database;
import org.opendialer.core.accounts.NewUser;
import org.opendialer.core.accounts.PasswordHasher;
import org.opendialer.core.accounts.SecretBox;
import org.opendialer.core.calls.CallEngine;
import org.opendialer.core.calls.CallStore;
import org.opendialer.core.calls.DestinationPolicy;
import org.opendialer.core.calls.ClusterNodes;
import org.opendialer.core.config.ClusterConfig;
import org.opendialer.core.config.DestinationSettings;
import org.opendialer.core.config.GatewayConfig;
import org.opendialer.core.config.NodeConfig;
import org.opendialer.core.config.OpsConfig;
import org.opendialer.core.config.SipConfig;
import org.opendialer.media.relay.MediaRelay;
import org.opendialer.sandbox.Sandbox;
import org.opendialer.sandbox.SandboxSettings;

/** {@code serve}: opens the database, creates the demo user on first start, starts the web layer. */
final class ServeCommand {
    private static final String PASSWORD_ALPHABET =
            "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
    private static final int PASSWORD_LENGTH = 20;
    private static final java.time.Duration HEALTH_CHECK_PERIOD = java.time.Duration.ofSeconds(2);

    private ServeCommand() {}

    static int run(GatewayConfig config, DestinationSettings destinations, PrintStream out, PrintStream err) {
        return run(config, destinations, OpsConfig.OFF, out, err);
    }

    static int run(GatewayConfig config, DestinationSettings destinations, OpsConfig ops, PrintStream out,
                   PrintStream err) {
        return run(config, destinations, ops, NodeConfig.from(java.util.Map.of()), out, err);
    }

    static int run(GatewayConfig config, DestinationSettings destinations, OpsConfig ops, NodeConfig node,
                   PrintStream out, PrintStream err) {
        return run(config, destinations, ops, node, ClusterConfig.OFF, out, err);
    }

    static int run(GatewayConfig config, DestinationSettings destinations, OpsConfig ops, NodeConfig node,
                   ClusterConfig cluster, PrintStream out, PrintStream err) {
        Database db;
        SecretBox secrets;
        try {
            DataDir.prepare(config.dataDir());
            secrets = DataDir.secretBox(config);
            db = Database.open(config.dbUrl(), config.dbUser(), config.dbPassword());
            DataDir.protectFiles(config.dataDir());
        } catch (IOException | RuntimeException e) {
            err.println("Cannot open the database " + config.dbUrl() + ": " + e.getMessage());
            return 1;
        }
        AccountService accounts = new AccountService(db, Clock.systemUTC(), config.sessionIdleTtl(),
                config.signInTokenTtl(), PasswordHasher.DEFAULT, config.security().signIn(), secrets);
        String demoPassword = null;
        GatewayServer server;
        CallEngine calls = null;
        MediaRelay relay = null;
        Sandbox sandbox = null;
        DialerMetrics metrics = ops.metricsPort() == 0 ? null : new DialerMetrics();
        Webhooks webhooks = null;
        MetricsServer metricsServer = null;
        ClusterNodes nodes = null;
        DatabaseCheck databaseCheck = null;
        try {
            accounts.sealClearSipPasswords();
            if (!accounts.hasUsers()) {
                demoPassword = randomPassword();
                accounts.createUser(new NewUser("demo", demoPassword, "Demo Agent", "1001", null));
            }
            SipConfig sip = config.sip();
            if (config.sandbox()) {
                // No trunk: the built-in sandbox carrier on loopback is the trunk (docs/sandbox.md).
                sandbox = startSandbox(sip);
                sip = withTrunk(sip, sandbox.trunkUri());
            }
            relay = CallEngines.openRelay(sip, config.network());
            calls = CallEngines.create(sip, accounts, db, relay, Clock.systemUTC(), cluster.node().orElse(null));
            if (cluster.enabled()) {
                calls.cluster(cluster.node().get(), cluster.secret().get());
            }
            calls.destinationPolicy(new DestinationPolicy(destinations, accounts.destinationOverrides()::find,
                    Clock.systemUTC()));
            calls.setCallWaiting(config.calls().callWaiting());
            calls.setTransferMode(config.calls().transfer());
            relay.setRingback(config.calls().ringback().pattern());
            calls.carrier(config.carrier());
            if (ops.webhook().isPresent()) {
                webhooks = Webhooks.create(db, ops.webhook().get(), Clock.systemUTC(),
                        metrics == null ? WebhookMetrics.NONE : metrics.webhooks());
            }
            Instrumentation.wire(calls, relay, metrics, webhooks);
            calls.start();
            if (cluster.enabled()) {
                nodes = new ClusterNodes(db, calls, new CallStore(db, cluster.node().get()), cluster.node().get(),
                        Clock.systemUTC());
                nodes.start();
            }
            if (webhooks != null) {
                webhooks.start(new CallStore(db)); // after start(): the call log repair ended the killed run's calls
            }
            server = GatewayServer.start(config, accounts, new CallLog(db), new EngineCalls(calls), calls.pbx(), sandbox,
                    metrics, webhooks, node.name());
            if (nodes != null) {
                server.redirectDialers(nodes::nodeOfLiveCall);
            }
            databaseCheck = DatabaseCheck.start(db.dataSource(), HEALTH_CHECK_PERIOD);
            server.health().add(databaseCheck);
            server.health().add(new TrunkRegistrationCheck(calls::trunkRegistration));
            if (cluster.enabled()) {
                // The node's own binding at Kamailio: unhealthy (and why) while the edge cannot be reached.
                server.health().add(new TrunkRegistrationCheck(calls::edgeRegistration, "the SIP edge (Kamailio)"));
            }
            if (metrics != null) {
                metricsServer = MetricsServer.start(metrics, config.bindAddress(), ops.metricsPort());
                if (webhooks != null) {
                    metrics.webhookQueueDepth(webhooks.outbox()::pendingCount);
                }
            }
        } catch (Exception e) {
            if (nodes != null) {
                nodes.close();
            }
            if (databaseCheck != null) {
                databaseCheck.close();
            }
            if (metricsServer != null) {
                metricsServer.close();
            }
            if (webhooks != null) {
                webhooks.close();
            }
            if (calls != null) {
                calls.close();
            }
            if (relay != null) {
                relay.close();
            }
            if (sandbox != null) {
                sandbox.close();
            }
            db.close();
            err.println("Cannot start the gateway on " + config.bindAddress() + ": " + describe(e));
            return 1;
        }
        CallEngine engine = calls;
        MediaRelay media = relay;
        Sandbox carrier = sandbox;
        Webhooks hooks = webhooks;
        MetricsServer scrape = metricsServer;
        ClusterNodes members = nodes;
        DatabaseCheck dbCheck = databaseCheck;
        GatewayServer web = server;
        new NodeDrain(NodeDrain.node(engine, web), node.drainTimeout(), () -> System.exit(0)).installOnSigterm();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            // Calls first: what draining left (or all, on SIGINT) get BYE/CANCEL and are logged before the
            // database closes.
            engine.close();
            if (members != null) {
                members.close(); // after the calls ended: the survivors have nothing of ours to end
            }
            dbCheck.close();
            if (hooks != null) {
                hooks.close(); // what it has not delivered stays in the outbox for the next start
            }
            if (scrape != null) {
                scrape.close();
            }
            if (carrier != null) {
                carrier.close();
            }
            media.close();
            server.close();
            db.close();
        }, "gateway-shutdown"));
        out.println(banner(config, demoPassword, sandbox));
        out.flush();
        return 0;
    }

    static String banner(GatewayConfig config, String demoPassword) {
        return banner(config, demoPassword, null);
    }

    static String banner(GatewayConfig config, String demoPassword, Sandbox sandbox) {
        StringBuilder text = new StringBuilder();
        text.append("opendialer gateway ").append(AppVersion.get()).append('\n');
        text.append("  Dialer gateway: ").append(config.publicUrlText()).append('\n');
        if (config.demoEnabled()) {
            text.append("  Demo: http://localhost:").append(config.demoPort()).append("/\n");
        }
        text.append("  Allowed embedding origins: ").append(String.join(", ", config.allowedOrigins())).append('\n');
        text.append("  SIP trunk: ").append(sandbox != null
                ? "the built-in SANDBOX carrier at " + sandbox.trunkUri() + " (test numbers: docs/sandbox.md;"
                        + " echo test +1 650 555 0100; set DIALER_SIP_TRUNK for a real carrier)"
                : config.sip().trunk().map(t -> t + " (SIP port " + config.sip().port() + ")")
                .orElse("none (set DIALER_SIP_TRUNK; extension calls only)")).append('\n');
        text.append("  WebRTC audio: udp ").append(config.sip().webRtcAddress()).append(':')
                .append(config.sip().webRtcPort()).append(", RTP toward SIP: udp ").append(config.sip().rtpPortMin())
                .append('-').append(config.sip().rtpPortMax()).append('\n');
        text.append("  Admin API: ").append(config.adminKey().isPresent() ? "enabled" : "disabled (set DIALER_ADMIN_KEY)").append('\n');
        if (demoPassword != null) {
            text.append("  First start: created user 'demo' (extension 1001)\n");
            text.append("    username: demo\n");
            text.append("    password: ").append(demoPassword).append("   (shown only this once)\n");
        }
        return text.toString();
    }

    /** The sandbox on loopback, calling the gateway's SIP port; its RTP ports are the 200 above the gateway's. */
    private static Sandbox startSandbox(SipConfig sip) throws IOException {
        String gatewayHost = sip.listenAddress().equals("0.0.0.0") ? "127.0.0.1" : sip.listenAddress();
        int rtpMin = Math.min(sip.rtpPortMax() + 1 + (sip.rtpPortMax() + 1) % 2, 65334);
        return Sandbox.start(new SandboxSettings("127.0.0.1", 0, "sip:" + gatewayHost + ":" + sip.port(),
                rtpMin, rtpMin + 199));
    }

    private static SipConfig withTrunk(SipConfig s, String trunk) {
        return new SipConfig(java.util.Optional.of(trunk), s.listenAddress(), s.port(), s.username(), s.password(),
                s.publicAddress(), s.ringTimeout(), s.rtpPortMin(), s.rtpPortMax(), s.webRtcPort(), s.webRtcAddress(),
                s.rtpTimeout(), s.allowedSources(), s.trunkOptions());
    }

    static String randomPassword() {
        SecureRandom random = new SecureRandom();
        StringBuilder password = new StringBuilder(PASSWORD_LENGTH);
        for (int i = 0; i < PASSWORD_LENGTH; i++) {
            password.append(PASSWORD_ALPHABET.charAt(random.nextInt(PASSWORD_ALPHABET.length())));
        }
        return password.toString();
    }

    private static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return root == e ? message : e.getMessage() + " (" + message + ")";
    }
}
