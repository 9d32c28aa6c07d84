package org.opendialer.app;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import org.opendialer.app.ws.CallStarter;
import org.opendialer.core.accounts.AccountService;
import org.opendialer.core.accounts.CallLog;
import org.opendialer.core.accounts.Database;
import org.opendialer.core.accounts.NewUser;
import org.opendialer.core.accounts.PasswordHasher;
import org.opendialer.core.config.GatewayConfig;

/** A real gateway on free loopback ports, with a fake web directory and an H2 database in a temp dir. */
public final class GatewayFixture implements AutoCloseable {
    public static final String PASSWORD = "correct horse battery";

    public final Path webDir;
    public final GatewayConfig config;
    public final Database db;
    public final AccountService accounts;
    public final GatewayServer server;
    public final AdjustableClock clock = new AdjustableClock(Instant.parse("2026-01-01T00:00:00Z"));

    private GatewayFixture(Path dir, Map<String, String> extraEnv) throws Exception {
        webDir = dir.resolve("web");
        writeWebFiles(webDir);
        Map<String, String> env = new HashMap<>();
        env.put("DIALER_HTTP_PORT", String.valueOf(freePort()));
        env.put("DIALER_DEMO_PORT", String.valueOf(freePort()));
        env.put("DIALER_WEB_DIR", webDir.toString());
        env.put("DIALER_DATA_DIR", dir.resolve("data").toString());
        // Every test comes from 127.0.0.1: sign-in and admin-key limits only matter to the tests that set them.
        env.put("DIALER_SIGNIN_RATE_PER_ADDRESS", "100000");
        env.put("DIALER_SIGNIN_RATE_GLOBAL", "100000");
        env.put("DIALER_ADMIN_FAILURES_PER_ADDRESS", "100000");
        env.putAll(extraEnv);
        config = GatewayConfig.from(env);
        db = Database.open(config.dbUrl(), config.dbUser(), config.dbPassword());
        accounts = new AccountService(db, clock, config.sessionIdleTtl(), config.signInTokenTtl(),
                PasswordHasher.forTests(), config.security().signIn());
        accounts.createUser(new NewUser("alice", PASSWORD, "Alice Agent", "1001", "+12015550123"));
        server = GatewayServer.start(config, accounts, new CallLog(db), CallStarter.UNAVAILABLE);
    }

    public static GatewayFixture start(Path dir) throws Exception {
        return new GatewayFixture(dir, Map.of());
    }

    public static GatewayFixture start(Path dir, Map<String, String> extraEnv) throws Exception {
        return new GatewayFixture(dir, extraEnv);
    }

    public String baseUrl() {
        return config.publicUrlText();
    }

    public String demoUrl() {
        return "http://127.0.0.1:" + config.demoPort();
    }

    @Override
    public void close() {
        server.close();
        db.close();
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void writeWebFiles(Path web) throws IOException {
        Files.createDirectories(web.resolve("sdk/dist"));
        Files.writeString(web.resolve("sdk/dist/dialer-sdk.umd.js"), "window.Net2PhoneDialer = {};\n");
        Files.writeString(web.resolve("sdk/dist/dialer-sdk.mjs"), "export default class Net2PhoneDialer {}\n");
        Files.writeString(web.resolve("sdk/dist/dialer-sdk.umd.js.map"), "{\"version\":3}\n");
        Files.createDirectories(web.resolve("dialer/dist/assets"));
        Files.writeString(web.resolve("dialer/dist/index.html"), "<!doctype html><title>dialer</title>\n");
        Files.writeString(web.resolve("dialer/dist/assets/main.js"), "console.log('dialer');\n");
        Files.writeString(web.resolve("dialer/dist/inline.html"),
                "<!doctype html><!--dialer-config--><script type=\"module\">import(\"./chunk-ABCDEFGH.js\");</script>\n");
        Files.writeString(web.resolve("dialer/dist/chunk-ABCDEFGH.js"), "export const x = 1;\n");
        Files.writeString(web.resolve("dialer/dist/.secret"), "hidden\n");
        Files.createDirectories(web.resolve("demo"));
        Files.writeString(web.resolve("demo/index.html"),
                "<script src=\"__GATEWAY_URL__/sdk/dialer-sdk.umd.js\"></script>\n");
        Files.writeString(web.resolve("demo/app.js"), "const url = '__GATEWAY_URL__';\n");
        Files.writeString(web.resolve("secret.txt"), "outside every served directory\n");
    }

    /** A clock the test moves forward to expire sessions. */
    public static final class AdjustableClock extends Clock {
        private volatile Instant now;

        AdjustableClock(Instant start) {
            this.now = start;
        }

        public void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
