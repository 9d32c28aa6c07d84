package org.opendialer.app;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.opendialer.app.ws.EngineCalls;
import org.opendialer.core.accounts.AccountService;
import org.opendialer.core.accounts.CallLog;
import org.opendialer.core.accounts.Database;
import org.opendialer.core.accounts.NewUser;
import org.opendialer.core.accounts.PasswordHasher;
import org.opendialer.core.calls.CallEngine;
import org.opendialer.core.config.GatewayConfig;
import org.opendialer.media.relay.MediaRelay;

/**
 * The real gateway in-process with the real call engine and relay (no SIP trunk unless the environment
 * names one), on free loopback ports, H2 in {@code dir}. The users are created unless they exist (a
 * restart on the same directory keeps them).
 */
public class EngineGateway implements AutoCloseable {
    public final GatewayConfig config;
    public final Database db;
    public final AccountService accounts;
    public final MediaRelay relay;
    public final CallEngine engine;
    public final GatewayServer server;

    public EngineGateway(Path dir, Map<String, String> extraEnv, List<NewUser> users) throws Exception {
        Files.createDirectories(dir.resolve("web"));
        Map<String, String> env = new HashMap<>();
        try (ServerSocket s = new ServerSocket(0)) {
            env.put("DIALER_HTTP_PORT", String.valueOf(s.getLocalPort()));
        }
        env.put("DIALER_DEMO_PORT", "0");
        env.put("DIALER_WEB_DIR", dir.resolve("web").toString());
        env.put("DIALER_DATA_DIR", dir.resolve("data").toString());
        env.put("DIALER_SIP_LISTEN_ADDRESS", "127.0.0.1");
        try (java.net.DatagramSocket u = new java.net.DatagramSocket(0)) {
            env.put("DIALER_WEBRTC_PORT", String.valueOf(u.getLocalPort()));
        }
        // Every test comes from 127.0.0.1: sign-in and admin-key limits only matter to the tests that set them.
        env.put("DIALER_SIGNIN_RATE_PER_ADDRESS", "100000");
        env.put("DIALER_SIGNIN_RATE_GLOBAL", "100000");
        env.put("DIALER_ADMIN_FAILURES_PER_ADDRESS", "100000");
        env.putAll(extraEnv);
        config = GatewayConfig.from(env);
        Files.createDirectories(config.dataDir());
        db = Database.open(config.dbUrl(), config.dbUser(), config.dbPassword());
        accounts = new AccountService(db, Clock.systemUTC(), config.sessionIdleTtl(), config.signInTokenTtl(),
                PasswordHasher.forTests(), config.security().signIn());
        for (NewUser user : users) {
            if (accounts.findUser(user.username()).isEmpty()) {
                accounts.createUser(user);
            }
        }
        relay = CallEngines.openRelay(config.sip());
        engine = CallEngines.create(config.sip(), accounts, db, relay, Clock.systemUTC());
        engine.carrier(config.carrier());
        engine.setTransferMode(config.calls().transfer()); // as ServeCommand does
        engine.start();
        server = GatewayServer.start(config, accounts, new CallLog(db), new EngineCalls(engine));
    }

    @Override
    public final void close() {
        server.close();
        engine.close();
        relay.close();
        db.close();
    }
}
