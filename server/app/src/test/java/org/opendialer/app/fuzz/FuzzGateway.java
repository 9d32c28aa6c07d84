package org.opendialer.app.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import org.opendialer.app.CallEngines;
import org.opendialer.app.GatewayServer;
import org.opendialer.app.WsTestClient;
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
 * The real gateway in-process (as org.opendialer.app.ws.CallGateway, which is package-private there):
 * the real call engine without a SIP trunk, an admin key, and users alice (1001), bob (1002),
 * carol (1003), mallory (1004, the fuzzer's own account) and trent (1009, never connected).
 */
final class FuzzGateway implements AutoCloseable {
    static final String PASSWORD = "correct horse battery";
    static final String ADMIN_KEY = "fuzz-admin-key-5b1d0c9e7a2f48d3b6e1";
    static final ObjectMapper JSON = new ObjectMapper();

    final Database db;
    final AccountService accounts;
    final CallEngine engine;
    final MediaRelay relay;
    final GatewayServer server;
    final GatewayConfig config;

    FuzzGateway(Path dir) throws Exception {
        Files.createDirectories(dir.resolve("web"));
        Map<String, String> env = new HashMap<>();
        try (ServerSocket s = new ServerSocket(0)) {
            env.put("DIALER_HTTP_PORT", String.valueOf(s.getLocalPort()));
        }
        env.put("DIALER_DEMO_PORT", "0");
        env.put("DIALER_WEB_DIR", dir.resolve("web").toString());
        env.put("DIALER_DATA_DIR", dir.resolve("data").toString());
        env.put("DIALER_SIP_LISTEN_ADDRESS", "127.0.0.1");
        env.put("DIALER_ADMIN_KEY", ADMIN_KEY);
        try (java.net.DatagramSocket u = new java.net.DatagramSocket(0)) {
            env.put("DIALER_WEBRTC_PORT", String.valueOf(u.getLocalPort()));
        }
        config = GatewayConfig.from(env);
        Files.createDirectories(config.dataDir());
        db = Database.open(config.dbUrl(), config.dbUser(), config.dbPassword());
        accounts = new AccountService(db, Clock.systemUTC(), config.sessionIdleTtl(), config.signInTokenTtl(),
                PasswordHasher.forTests());
        accounts.createUser(new NewUser("alice", PASSWORD, "Alice Agent", "1001", "+12015550123"));
        accounts.createUser(new NewUser("bob", PASSWORD, "Bob Builder", "1002", null));
        accounts.createUser(new NewUser("carol", PASSWORD, "Carol Cross", "1003", null));
        accounts.createUser(new NewUser("mallory", PASSWORD, "Mallory Fuzz", "1004", null));
        accounts.createUser(new NewUser("trent", PASSWORD, "Trent Idle", "1009", null));
        relay = CallEngines.openRelay(config.sip());
        engine = CallEngines.create(config.sip(), accounts, db, relay, Clock.systemUTC());
        engine.start();
        server = GatewayServer.start(config, accounts, new CallLog(db), new EngineCalls(engine));
    }

    String baseUrl() {
        return config.publicUrlText();
    }

    WsTestClient connect() {
        return WsTestClient.connect(baseUrl());
    }

    /**
     * Signs a new connection in with a freshly minted sign-in token (not the password: password
     * sign-ins from 127.0.0.1 are rate limited per client address, and the fuzzer fails many).
     */
    WsTestClient signInWithToken(String username) throws Exception {
        WsTestClient ws = connect();
        String token = accounts.mintSignInToken(username).token();
        JsonNode r = ws.request("t0", "signInWithToken", "{\"token\":\"" + token + "\"}");
        if (!r.path("ok").asBoolean()) {
            ws.close();
            throw new AssertionError("token sign-in of " + username + " failed: " + r);
        }
        return ws;
    }

    @Override
    public void close() {
        server.close();
        engine.close();
        relay.close();
        db.close();
    }
}
