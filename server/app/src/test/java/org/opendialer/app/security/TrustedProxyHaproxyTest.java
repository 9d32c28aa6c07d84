package org.opendialer.app.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.opendialer.app.GatewayFixture;
import org.opendialer.testkit.PortBlocks;

/**
 * DIALER_TRUSTED_PROXIES through a real HAProxy (Debian's, `option forwardfor`, as deploy/haproxy ships it):
 * clients from 127.0.0.2 and 127.0.0.3 reach the gateway from HAProxy's 127.0.0.1, and still get a sign-in
 * limit and an admin-key limit each; a forged X-Forwarded-For changes nothing.
 */
class TrustedProxyHaproxyTest {
    private static final String ADMIN_KEY = "admin-key-0123456789abcdef";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Offsets 2700-2799 of E2E_PORT_BASE: this worktree's block (HAProxy's frontend). */
    private static final int BLOCK = Integer.parseInt(System.getenv().getOrDefault("E2E_PORT_BASE", "18080")) + 2700;

    @TempDir
    Path dir;

    @Test
    @Timeout(300) // generous: 88 s once on a 2-core machine at load 26 (start-up and password checks)
    void twoClientsThroughTheProxy_getSeparateSignInAndAdminLimits_andForgedForwardedForIsIgnored() throws Exception {
        try (GatewayFixture gateway = GatewayFixture.start(dir, Map.of(
                "DIALER_TRUSTED_PROXIES", "127.0.0.1",
                "DIALER_SIGNIN_RATE_PER_ADDRESS", "2",
                "DIALER_ADMIN_KEY", ADMIN_KEY,
                "DIALER_ADMIN_FAILURES_PER_ADDRESS", "2"));
             Haproxy proxy = Haproxy.start(dir, gateway.config.httpPort())) {
            int front = proxy.port;
            String origin = gateway.baseUrl();

            // Sign-in rate: 127.0.0.2 spends its 2 attempts; 127.0.0.3, through the same proxy, still has its own.
            try (RawWebSocket a = RawWebSocket.open("127.0.0.2", front, origin, null)) {
                assertThat(signIn(a, "a1", "wrong")).isEqualTo("invalid_credentials");
                assertThat(signIn(a, "a2", "wrong")).isEqualTo("invalid_credentials");
                assertThat(signIn(a, "a3", GatewayFixture.PASSWORD)).isEqualTo("rate_limited");
            }
            try (RawWebSocket b = RawWebSocket.open("127.0.0.3", front, origin, null)) {
                assertThat(signIn(b, "b1", "wrong")).isEqualTo("invalid_credentials");
                assertThat(signIn(b, "b2", GatewayFixture.PASSWORD)).isEqualTo("ok");
            }
            // 127.0.0.2 claiming to forward for someone else: HAProxy appends .2, and .2 is what counts.
            try (RawWebSocket forged = RawWebSocket.open("127.0.0.2", front, origin, "127.0.0.9")) {
                assertThat(signIn(forged, "f1", GatewayFixture.PASSWORD)).isEqualTo("rate_limited");
            }

            // Admin keys: the same, over plain HTTP.
            assertThat(adminStatus("127.0.0.2", front, null)).isEqualTo(401);
            assertThat(adminStatus("127.0.0.2", front, null)).isEqualTo(401);
            assertThat(adminStatus("127.0.0.2", front, null)).isEqualTo(429);
            assertThat(adminStatus("127.0.0.3", front, null)).isEqualTo(401);
            assertThat(adminStatus("127.0.0.2", front, "127.0.0.3")).isEqualTo(429);
            // Straight to the gateway from 127.0.0.4, not a trusted proxy: its X-Forwarded-For is ignored, so
            // naming the limited 127.0.0.2 neither borrows nor spends that address's budget.
            int direct = gateway.config.httpPort();
            assertThat(adminStatus("127.0.0.4", direct, "127.0.0.2")).isEqualTo(401);
            assertThat(adminStatus("127.0.0.4", direct, "127.0.0.5")).isEqualTo(401);
            assertThat(adminStatus("127.0.0.4", direct, "127.0.0.5")).isEqualTo(429);
            assertThat(adminStatus("127.0.0.5", front, null)).isEqualTo(401);
        }
    }

    private static String signIn(RawWebSocket ws, String id, String password) throws IOException {
        ws.send("{\"v\":1,\"type\":\"request\",\"id\":\"" + id + "\",\"method\":\"signIn\",\"params\":"
                + "{\"username\":\"alice\",\"password\":\"" + password + "\"}}");
        while (true) {
            JsonNode frame = JSON.readTree(ws.receive());
            if ("response".equals(frame.path("type").asText()) && id.equals(frame.path("id").asText())) {
                return frame.path("ok").asBoolean() ? "ok" : frame.path("error").path("code").asText();
            }
        }
    }

    /** GET /api/v1/users with a wrong admin key from {@code source}; the response's status code. */
    private static int adminStatus(String source, int port, String forwardedFor) throws IOException {
        try (Socket s = RawWebSocket.connect(source, port)) {
            String request = "GET /api/v1/users HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n"
                    + "Authorization: Bearer wrong-key\r\nConnection: close\r\n"
                    + (forwardedFor == null ? "" : "X-Forwarded-For: " + forwardedFor + "\r\n") + "\r\n";
            s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            String status = RawWebSocket.readLine(s.getInputStream());
            return Integer.parseInt(status.split(" ")[1]);
        }
    }

    /** Debian's haproxy in front of one gateway, on a free port of this worktree's block; stopped by its process. */
    private static final class Haproxy implements AutoCloseable {
        final int port;
        private final Process process;

        private Haproxy(int port, Process process) {
            this.port = port;
            this.process = process;
        }

        static Haproxy start(Path dir, int backendPort) throws Exception {
            int port = new PortBlocks(BLOCK, BLOCK + 90, 1, 1).next();
            Path cfg = dir.resolve("haproxy.cfg");
            // noreuseport: a second HAProxy on the same port fails instead of sharing it silently.
            Files.writeString(cfg, String.join("\n",
                    "global", "    noreuseport", "defaults", "    mode http", "    option http-server-close",
                    "    option forwardfor", "    timeout connect 5s", "    timeout client 60s", "    timeout server 60s",
                    "    timeout tunnel 1h", "frontend dialer", "    bind 127.0.0.1:" + port, "    default_backend nodes",
                    "backend nodes", "    server node1 127.0.0.1:" + backendPort, ""));
            Process p = new ProcessBuilder("haproxy", "-f", cfg.toString(), "-db")
                    .redirectErrorStream(true).redirectOutput(dir.resolve("haproxy.log").toFile()).start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (true) {
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
                    return new Haproxy(port, p);
                } catch (IOException notYet) {
                    if (!p.isAlive() || System.nanoTime() > deadline) {
                        p.destroyForcibly();
                        throw new IllegalStateException("haproxy did not start on " + port + ": "
                                + Files.readString(dir.resolve("haproxy.log")));
                    }
                    Thread.sleep(100);
                }
            }
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}
