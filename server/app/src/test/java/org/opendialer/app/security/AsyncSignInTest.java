package org.opendialer.app.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.opendialer.app.GatewayFixture;
import org.opendialer.app.WsTestClient;
import org.opendialer.app.ws.RequestQueue;
import org.opendialer.core.accounts.PasswordHasher;

/**
 * A password sign-in is answered from the Argon2 pool: no WebSocket thread waits for the hash (under a
 * flood, waiting threads starved an honest sign-in for a minute), the requests sent behind it are still
 * answered after it and in order, and the sign-in window does not cut off a sign-in waiting for its check.
 */
class AsyncSignInTest {
    /** About 13 times the cost of a real hash: the check is still running when the test looks at the threads. */
    private static final PasswordHasher SLOW = new PasswordHasher(19 * 1024, 40, 1);

    @TempDir
    Path dir;

    @Test
    @Timeout(180)
    void passwordSignIn_holdsNoWebSocketThreadWhileArgon2Runs_andTheRequestsBehindItAreAnsweredInOrder() throws Exception {
        try (GatewayFixture gateway = GatewayFixture.start(dir,
                Map.of("DIALER_PASSWORD_CHECK_THREADS", "1", "DIALER_SIGNIN_WINDOW_S", "1"))) {
            setPasswordHash(gateway, slowHash());
            try (WsTestClient ws = WsTestClient.connect(gateway.baseUrl())) {
                send(ws, "s1", "signIn", "{\"username\":\"alice\",\"password\":\"" + GatewayFixture.PASSWORD + "\"}");
                send(ws, "h1", "hello", "{\"protocol\":1}");
                send(ws, "r1", "recentCalls", "{}"); // needs the session: it must be handled after the sign-in

                List<String> waiting = threadsInPasswordCheck();
                assertThat(waiting).as("threads other than the Argon2 pool's inside the password check").isEmpty();

                List<JsonNode> answers = new ArrayList<>();
                while (answers.size() < 3) {
                    JsonNode f = ws.next(Duration.ofSeconds(120));
                    if (f.path("type").asText().equals("response")) {
                        answers.add(f);
                    }
                }
                assertThat(answers).extracting(f -> f.path("id").asText()).containsExactly("s1", "h1", "r1");
                assertThat(answers).allSatisfy(f -> assertThat(f.path("ok").asBoolean()).as(f.toString()).isTrue());
                assertThat(answers.get(0).path("result").path("user").path("username").asText()).isEqualTo("alice");
                // Where the check outlasted the 1 s sign-in window (about 0.7 s of Argon2 on an idle 2-core VM,
                // seconds under load), the connection was kept open for its answer; it is signed in now.
                assertThat(ws.request("h2", "hello", "{\"protocol\":1}").path("ok").asBoolean()).isTrue();
            }
        }
    }

    @Test
    @Timeout(180)
    void moreFramesThanMayWaitBehindAnUnansweredSignIn_closeTheConnectionWith1008() throws Exception {
        try (GatewayFixture gateway = GatewayFixture.start(dir, Map.of("DIALER_PASSWORD_CHECK_THREADS", "1"))) {
            setPasswordHash(gateway, slowHash());
            try (WsTestClient ws = WsTestClient.connect(gateway.baseUrl())) {
                send(ws, "s1", "signIn", "{\"username\":\"alice\",\"password\":\"" + GatewayFixture.PASSWORD + "\"}");
                threadsInPasswordCheck(); // the sign-in is waiting for its hash: what follows queues behind it
                for (int i = 0; i <= RequestQueue.MAX_WAITING; i++) {
                    send(ws, "h" + i, "hello", "{\"protocol\":1}");
                }
                assertThat(ws.awaitCloseCode()).isEqualTo(1008);
            }
        }
    }

    private static String slowHashOnce;

    private static synchronized String slowHash() {
        if (slowHashOnce == null) {
            slowHashOnce = SLOW.hash(GatewayFixture.PASSWORD);
        }
        return slowHashOnce;
    }

    private static void send(WsTestClient ws, String id, String method, String params) {
        ws.sendText("{\"v\":1,\"type\":\"request\",\"id\":\"" + id + "\",\"method\":\"" + method + "\",\"params\":" + params + "}");
    }

    /**
     * Waits until the pool thread is hashing, then names every other thread whose stack is inside the
     * password check or the sign-in (before the fix: a Jetty thread waiting in PasswordChecks for the hash).
     */
    private static List<String> threadsInPasswordCheck() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            Map<Thread, StackTraceElement[]> all = Thread.getAllStackTraces();
            boolean hashing = all.entrySet().stream().anyMatch(e -> e.getKey().getName().startsWith("password-check-")
                    && Arrays.stream(e.getValue()).anyMatch(f -> f.getClassName().endsWith("PasswordHasher")));
            if (hashing) {
                List<String> others = new ArrayList<>();
                all.forEach((thread, stack) -> {
                    boolean inside = Arrays.stream(stack).anyMatch(f -> f.getClassName().endsWith("PasswordChecks")
                            || f.getClassName().endsWith("AccountService") || f.getClassName().endsWith("AuthMethods"));
                    if (inside && !thread.getName().startsWith("password-check-")) {
                        others.add(thread.getName() + " " + Arrays.toString(Arrays.copyOf(stack, Math.min(stack.length, 8))));
                    }
                });
                return others;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the password check never ran");
    }

    private static void setPasswordHash(GatewayFixture gateway, String hash) throws Exception {
        try (Connection c = gateway.db.dataSource().getConnection();
             PreparedStatement st = c.prepareStatement("UPDATE users SET password_hash = ? WHERE username = 'alice'")) {
            st.setString(1, hash);
            assertThat(st.executeUpdate()).isEqualTo(1);
        }
    }
}
