package org.opendialer.app.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.opendialer.app.GatewayFixture;
import org.opendialer.app.WsTestClient;

/** The web side's limits (docs/security.md), each crossed against a real gateway on loopback. */
class SignInLimitsTest {
    private static final String ADMIN_KEY = "admin-key-0123456789abcdef";

    @TempDir
    Path dir;

    @Test
    @Timeout(30)
    void anonymousSocket_isClosedWith4001AfterTheSignInWindow_butASignedInOneStaysOpen() throws Exception {
        try (GatewayFixture gateway = GatewayFixture.start(dir, Map.of("DIALER_SIGNIN_WINDOW_S", "1"));
             WsTestClient anonymous = WsTestClient.connect(gateway.baseUrl());
             WsTestClient signedIn = WsTestClient.connect(gateway.baseUrl())) {
            assertThat(response(signedIn, "s1", "signIn",
                    "{\"username\":\"alice\",\"password\":\"" + GatewayFixture.PASSWORD + "\"}").path("ok").asBoolean()).isTrue();
            assertThat(response(anonymous, "a1", "hello", "{\"protocol\":1}").path("ok").asBoolean()).isTrue();

            assertThat(anonymous.awaitCloseCode()).isEqualTo(4001);
            assertThat(response(signedIn, "s2", "hello", "{\"protocol\":1}").path("ok").asBoolean()).isTrue();

            // Signed out, it is anonymous again: the window starts over.
            assertThat(response(signedIn, "s3", "signOut", "{}").path("ok").asBoolean()).isTrue();
            assertThat(signedIn.awaitCloseCode()).isEqualTo(4001);
        }
    }

    @Test
    @Timeout(30)
    void anonymousSockets_overThePerAddressCap_areClosedWith1008_andTheOthersStayUsable() throws Exception {
        try (GatewayFixture gateway = GatewayFixture.start(dir, Map.of("DIALER_ANONYMOUS_SOCKETS_PER_ADDRESS", "3"))) {
            List<WsTestClient> first = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    first.add(WsTestClient.connect(gateway.baseUrl()));
                    assertThat(response(first.get(i), "h" + i, "hello", "{\"protocol\":1}").path("ok").asBoolean()).isTrue();
                }
                try (WsTestClient extra = WsTestClient.connect(gateway.baseUrl())) {
                    assertThat(extra.awaitCloseCode()).isEqualTo(1008);
                }
                // Signing one in frees a place for another anonymous socket.
                assertThat(response(first.get(0), "s", "signIn",
                        "{\"username\":\"alice\",\"password\":\"" + GatewayFixture.PASSWORD + "\"}").path("ok").asBoolean()).isTrue();
                try (WsTestClient next = WsTestClient.connect(gateway.baseUrl())) {
                    assertThat(response(next, "n", "hello", "{\"protocol\":1}").path("ok").asBoolean()).isTrue();
                }
            } finally {
                first.forEach(WsTestClient::close);
            }
        }
    }

    @Test
    @Timeout(30)
    void signIn_overThePerAddressRate_isRefusedWithRateLimited() throws Exception {
        try (GatewayFixture gateway = GatewayFixture.start(dir, Map.of("DIALER_SIGNIN_RATE_PER_ADDRESS", "3"));
             WsTestClient ws = WsTestClient.connect(gateway.baseUrl())) {
            for (int i = 0; i < 3; i++) {
                assertThat(response(ws, "w" + i, "signIn", "{\"username\":\"alice\",\"password\":\"wrong\"}")
                        .path("error").path("code").asText()).isEqualTo("invalid_credentials");
            }
            JsonNode refused = response(ws, "r", "signIn",
                    "{\"username\":\"alice\",\"password\":\"" + GatewayFixture.PASSWORD + "\"}");
            assertThat(refused.path("error").path("code").asText()).isEqualTo("rate_limited");
            assertThat(refused.path("error").path("message").asText())
                    .matches("Too many sign-in attempts from your address\\. Try again in \\d+ s\\.");
            // A token is not a password: no hashing, no rate limit.
            String token = gateway.accounts.mintSignInToken("alice").token();
            assertThat(response(ws, "t", "signInWithToken", "{\"token\":\"" + token + "\"}").path("ok").asBoolean()).isTrue();
        }
    }

    @Test
    @Timeout(60)
    void wrongAdminKeys_overThePerAddressLimit_get429_andAreLoggedOncePerWindow() throws Exception {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream err = System.err;
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        List<Integer> statuses = new ArrayList<>();
        HttpResponse<String> limited;
        HttpResponse<String> rightKeyWhileLimited;
        try (GatewayFixture gateway = GatewayFixture.start(dir,
                Map.of("DIALER_ADMIN_KEY", ADMIN_KEY, "DIALER_ADMIN_FAILURES_PER_ADDRESS", "5"))) {
            HttpClient http = HttpClient.newHttpClient();
            for (int i = 0; i < 200; i++) {
                statuses.add(get(http, gateway.baseUrl(), "wrong-key-" + i).statusCode());
            }
            limited = get(http, gateway.baseUrl(), "wrong-key");
            rightKeyWhileLimited = get(http, gateway.baseUrl(), ADMIN_KEY);
        } finally {
            System.setErr(err);
        }
        assertThat(statuses.subList(0, 5)).containsOnly(401);
        assertThat(statuses.subList(5, 200)).containsOnly(429);
        assertThat(limited.headers().firstValue("Retry-After")).hasValueSatisfying(v -> assertThat(Integer.parseInt(v)).isBetween(1, 60));
        assertThat(limited.body()).contains("rate_limited");
        assertThat(rightKeyWhileLimited.statusCode()).isEqualTo(429);
        String log = captured.toString(StandardCharsets.UTF_8);
        long warnings = log.lines().filter(l -> l.contains("WARN") && l.contains("wrong admin key")).count();
        assertThat(warnings).as(log).isEqualTo(1);
        assertThat(log).doesNotContain("wrong-key-");
    }

    private static HttpResponse<String> get(HttpClient http, String base, String key) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/users"))
                .header("Authorization", "Bearer " + key).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Sends a request and returns its response, skipping events. */
    private static JsonNode response(WsTestClient ws, String id, String method, String params) throws Exception {
        JsonNode f = ws.request(id, method, params);
        while (!f.path("type").asText().equals("response")) {
            f = ws.next();
        }
        assertThat(f.path("id").asText()).isEqualTo(id);
        return f;
    }
}
