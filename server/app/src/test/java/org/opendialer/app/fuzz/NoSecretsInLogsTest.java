package org.opendialer.app.fuzz;

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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.opendialer.app.WsTestClient;

/**
 * Tokens and passwords never reach the logs. Logback (the gateway's logger, see
 * src/main/resources/logback.xml) writes to whatever {@code System.err} is at each call,
 * so the test swaps System.err (and System.out) for a buffer while the gateway starts, users are
 * created and changed with the admin key, tokens are minted, and dialers sign in with right and
 * wrong passwords, tokens and sessions; then no secret may appear in what was logged.
 */
class NoSecretsInLogsTest {
    @TempDir
    Path dir;

    /** Sends a request and returns its response, skipping events. */
    private static JsonNode req(WsTestClient ws, String id, String method, String params) throws Exception {
        JsonNode f = ws.request(id, method, params);
        while (!f.path("type").asText().equals("response")) {
            f = ws.next();
        }
        assertThat(f.path("id").asText()).isEqualTo(id);
        return f;
    }

    @Test
    @Timeout(60)
    void noPasswordTokenOrKeyIsLogged() throws Exception {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream tee = new PrintStream(captured, true, StandardCharsets.UTF_8);
        PrintStream err = System.err;
        PrintStream out = System.out;
        List<String> secrets = new ArrayList<>();
        secrets.add(FuzzGateway.ADMIN_KEY);
        secrets.add(FuzzGateway.PASSWORD);
        System.setErr(tee);
        System.setOut(tee);
        FuzzGateway gateway = null;
        try {
            gateway = new FuzzGateway(dir);
            HttpClient http = HttpClient.newHttpClient();
            String base = gateway.baseUrl();
            java.util.function.BiFunction<String[], String, HttpResponse<String>> admin = (req, key) -> {
                try {
                    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + req[1]))
                            .header("Content-Type", "application/json");
                    if (key != null) {
                        b.header("Authorization", "Bearer " + key);
                    }
                    b.method(req[0], req.length > 2 ? HttpRequest.BodyPublishers.ofString(req[2]) : HttpRequest.BodyPublishers.noBody());
                    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            };
            String key = FuzzGateway.ADMIN_KEY;
            String davePassword = "dave-secret-Pa55word-91f3";
            String daveNewPassword = "dave-new-Pa55word-77c1";
            String pbxPassword = "pbx-secret-0c4e1a";
            String wrongKey = "forged-admin-key-3e8b2c71d9";
            String wrongPassword = "wrong-Pa55word-for-alice-6a2d";
            secrets.addAll(List.of(davePassword, daveNewPassword, pbxPassword, wrongKey, wrongPassword));

            assertThat(admin.apply(new String[] {"POST", "/api/v1/users", "{\"username\":\"dave\",\"password\":\""
                    + davePassword + "\",\"extension\":\"1040\"}"}, key).statusCode()).isEqualTo(201);
            assertThat(admin.apply(new String[] {"POST", "/api/v1/users", "{\"username\":\"erin\",\"password\":\""
                    + davePassword + "x\",\"extension\":\"1041\",\"sip_account\":{\"registrar\":\"sip:127.0.0.1:9;transport=udp\","
                    + "\"username\":\"2002\",\"password\":\"" + pbxPassword + "\"}}"}, key).statusCode()).isEqualTo(201);
            // Bad requests that carry a password: the error path must not echo it either.
            admin.apply(new String[] {"POST", "/api/v1/users", "{\"username\":\"bad user\",\"password\":\"" + davePassword + "\",\"extension\":\"1\"}"}, key);
            admin.apply(new String[] {"PATCH", "/api/v1/users/dave", "{\"password\":\"" + davePassword + "\",\"bogus\":1}"}, key);
            assertThat(admin.apply(new String[] {"GET", "/api/v1/users"}, wrongKey).statusCode()).isEqualTo(401);
            assertThat(admin.apply(new String[] {"GET", "/api/v1/users"}, key).statusCode()).isEqualTo(200);
            assertThat(admin.apply(new String[] {"GET", "/api/v1/calls?limit=5"}, key).statusCode()).isEqualTo(200);

            // Sign-in tokens minted with the admin API; one redeemed, one left unused, one redeemed twice.
            List<String> tokens = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                HttpResponse<String> r = admin.apply(new String[] {"POST", "/api/v1/users/dave/tokens"}, key);
                assertThat(r.statusCode()).isEqualTo(201);
                tokens.add(FuzzGateway.JSON.readTree(r.body()).path("token").asText());
            }
            secrets.addAll(tokens);

            try (WsTestClient ws = gateway.connect()) {
                JsonNode wrong = req(ws, "1", "signIn", "{\"username\":\"alice\",\"password\":\"" + wrongPassword + "\"}");
                assertThat(wrong.path("error").path("code").asText()).isEqualTo("invalid_credentials");
                // A password typed into the username field is logged as a username: not a secret we can know.
                JsonNode right = req(ws, "2", "signIn", "{\"username\":\"dave\",\"password\":\"" + davePassword + "\"}");
                assertThat(right.path("ok").asBoolean()).as(right.toString()).isTrue();
                String session = right.path("result").path("session").path("token").asText();
                secrets.add(session);
                req(ws, "3", "placeCall", "{\"to\":\"1002\"}");
                req(ws, "4", "hangUp", "{}");
                req(ws, "5", "signOut", "{}");
                JsonNode resumed = req(ws, "6", "resume", "{\"session_token\":\"" + session + "\"}");
                assertThat(resumed.path("ok").asBoolean()).isFalse();
            }
            try (WsTestClient ws = gateway.connect()) {
                assertThat(req(ws, "7", "signInWithToken", "{\"token\":\"" + tokens.get(0) + "\"}").path("ok").asBoolean()).isTrue();
                JsonNode again = req(ws, "8", "signInWithToken", "{\"token\":\"" + tokens.get(0) + "\"}");
                assertThat(again.path("ok").asBoolean()).isFalse();
                JsonNode other = req(ws, "9", "signInWithToken", "{\"token\":\"" + tokens.get(1) + "\"}");
                assertThat(other.path("ok").asBoolean()).isTrue();
                secrets.add(other.path("result").path("session").path("token").asText());
                JsonNode forged = req(ws, "10", "signInWithToken", "{\"token\":\"" + tokens.get(2) + "X\"}");
                assertThat(forged.path("ok").asBoolean()).isFalse();
                JsonNode forgedResume = req(ws, "11", "resume", "{\"session_token\":\"" + tokens.get(2) + "\"}");
                assertThat(forgedResume.path("ok").asBoolean()).isFalse();
            }
            // A password change ends dave's sessions; the old password then fails.
            assertThat(admin.apply(new String[] {"PATCH", "/api/v1/users/dave", "{\"password\":\"" + daveNewPassword + "\"}"}, key)
                    .statusCode()).isEqualTo(200);
            try (WsTestClient ws = gateway.connect()) {
                assertThat(req(ws, "12", "signIn", "{\"username\":\"dave\",\"password\":\"" + davePassword + "\"}")
                        .path("ok").asBoolean()).isFalse();
                assertThat(req(ws, "13", "signIn", "{\"username\":\"dave\",\"password\":\"" + daveNewPassword + "\"}")
                        .path("ok").asBoolean()).isTrue();
            }
            assertThat(admin.apply(new String[] {"DELETE", "/api/v1/users/erin"}, key).statusCode()).isEqualTo(204);
            Thread.sleep(300); // let asynchronous log lines land
        } finally {
            if (gateway != null) {
                gateway.close();
            }
            System.setErr(err);
            System.setOut(out);
        }
        String logged = captured.toString(StandardCharsets.UTF_8);
        // The capture worked: the gateway's own lines are there.
        assertThat(logged).contains("sign-in of dave").contains("minted a sign-in token for dave");
        for (String secret : secrets) {
            assertThat(secret).isNotBlank();
            assertThat(logged).as("the log must not contain the secret %s…", secret.substring(0, 4)).doesNotContain(secret);
        }
        int lines = logged.split("\n").length;
        System.out.println("No-secrets-in-logs: " + lines + " log lines captured, " + secrets.size()
                + " secrets checked (admin key, forged key, 5 passwords, 3 sign-in tokens, 2 session tokens), none found");
    }

    @Test
    @Timeout(60)
    void aUsernameCannotForgeLogLines() throws Exception {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream tee = new PrintStream(captured, true, StandardCharsets.UTF_8);
        PrintStream err = System.err;
        PrintStream out = System.out;
        System.setErr(tee);
        System.setOut(tee);
        FuzzGateway gateway = null;
        try {
            gateway = new FuzzGateway(dir);
            try (WsTestClient ws = gateway.connect()) {
                JsonNode r = req(ws, "1", "signIn",
                        "{\"username\":\"x\\n[main] INFO o.AuthMethods - sign-in of alice\",\"password\":\"whatever-123\"}");
                assertThat(r.path("ok").asBoolean()).isFalse();
            }
            Thread.sleep(200);
        } finally {
            if (gateway != null) {
                gateway.close();
            }
            System.setErr(err);
            System.setOut(out);
        }
        String logged = captured.toString(StandardCharsets.UTF_8);
        assertThat(logged.lines().filter(l -> l.startsWith("[main] INFO o.AuthMethods - sign-in of alice")))
                .as("a forged log line, from a username with a newline:%n%s", logged).isEmpty();
    }
}
