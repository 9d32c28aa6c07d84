package org.opendialer.app.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.opendialer.core.accounts.AccountService;
import org.opendialer.core.accounts.CallLog;
import org.opendialer.core.accounts.Database;
import org.opendialer.core.accounts.PasswordHasher;

/** The admin API over real HTTP on a real Javalin; subclasses choose H2 or PostgreSQL. */
abstract class AdminApiContract {

    static final String KEY = "test-admin-key-0123456789abcdef";
    static final ObjectMapper JSON = new ObjectMapper();
    static final String ALICE = """
            {"username":"alice","password":"alice-password","display_name":"Alice Liddell","extension":"101","number":"+14155550123"}""";

    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    AccountService accounts;
    Javalin server;
    String base;

    abstract Database emptyDatabase() throws Exception;

    @BeforeEach
    void startServer() throws Exception {
        Database db = emptyDatabase();
        accounts = new AccountService(db, Clock.systemUTC(), Duration.ofMinutes(30), Duration.ofMinutes(10),
                PasswordHasher.forTests());
        CallLog calls = new CallLog(db);
        // Many wrong keys from 127.0.0.1 here: the per-address limit is crossed only in SignInLimitsTest.
        server = Javalin.create(config -> AdminApi.register(config, accounts, calls, adminKey(),
                org.opendialer.core.calls.PbxStatus.NONE, 1_000_000)).start("127.0.0.1", 0);
        base = "http://127.0.0.1:" + server.port() + "/api/v1";
    }

    String adminKey() {
        return KEY;
    }

    @AfterEach
    void stopServer() {
        server.stop();
    }

    // ---- POST /users

    @Test
    void createUser_returns201WithUserAndNoSecret() throws Exception {
        HttpResponse<String> response = send("POST", "/users", ALICE);

        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
        JsonNode user = JSON.readTree(response.body());
        assertThat(user.get("username").asText()).isEqualTo("alice");
        assertThat(user.get("display_name").asText()).isEqualTo("Alice Liddell");
        assertThat(user.get("extension").asText()).isEqualTo("101");
        assertThat(user.get("number").asText()).isEqualTo("+14155550123");
        assertThat(Instant.parse(user.get("created_at").asText())).isBeforeOrEqualTo(Instant.now());
        assertThat(response.body()).doesNotContain("password").doesNotContain("argon2");
    }

    @Test
    void createUser_withMinimalFields_defaultsDisplayNameAndNullNumber() throws Exception {
        HttpResponse<String> response = send("POST", "/users", "{\"username\":\"bob\",\"password\":\"bob-password\",\"extension\":\"102\"}");

        assertThat(response.statusCode()).isEqualTo(201);
        JsonNode user = JSON.readTree(response.body());
        assertThat(user.get("display_name").asText()).isEqualTo("bob");
        assertThat(user.get("number").isNull()).isTrue();
    }

    @Test
    void createUser_withBadBody_returns400() throws Exception {
        String[] bodies = {
            "", "not json", "[]", "\"alice\"", "{\"username\":\"alice\"",
            "{\"username\":\"alice\",\"password\":\"short\",\"extension\":\"101\"}",
            "{\"username\":\"al ice\",\"password\":\"alice-password\",\"extension\":\"101\"}",
            "{\"username\":\"alice\",\"password\":\"alice-password\",\"extension\":\"1\"}",
            "{\"username\":\"alice\",\"password\":\"alice-password\",\"extension\":\"101\",\"number\":\"12345\"}",
            "{\"username\":\"alice\",\"password\":\"alice-password\",\"extension\":101}",
            "{\"username\":\"alice\",\"password\":\"alice-password\",\"extension\":\"101\",\"admin\":true}",
        };
        for (String body : bodies) {
            HttpResponse<String> response = send("POST", "/users", body);
            assertThat(response.statusCode()).as(body).isEqualTo(400);
            assertError(response, "bad_request");
        }
        assertThat(accounts.hasUsers()).isFalse();
    }

    @Test
    void createUser_withTakenUsernameExtensionOrNumber_returns409() throws Exception {
        send("POST", "/users", ALICE);

        assertError(send("POST", "/users", ALICE), 409, "duplicate_username");
        assertError(send("POST", "/users", "{\"username\":\"carol\",\"password\":\"carol-password\",\"extension\":\"101\"}"),
                409, "duplicate_extension");
        assertError(send("POST", "/users",
                "{\"username\":\"carol\",\"password\":\"carol-password\",\"extension\":\"103\",\"number\":\"+14155550123\"}"),
                409, "duplicate_number");
    }

    @Test
    void createUser_withBodyOver64KiB_returns413() throws Exception {
        String big = "{\"username\":\"alice\",\"password\":\"alice-password\",\"extension\":\"101\",\"display_name\":\""
                + "x".repeat(70_000) + "\"}";

        assertError(send("POST", "/users", BodyPublishers.ofString(big), KEY), 413, "payload_too_large");
        // Without Content-Length (chunked), the limit is enforced while reading.
        HttpResponse<String> chunked = send("POST", "/users",
                BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big.getBytes())), KEY);
        assertError(chunked, 413, "payload_too_large");
        assertThat(accounts.hasUsers()).isFalse();
    }

    // ---- authentication

    @Test
    void everyRoute_withoutOrWithWrongKey_returns401WithBearerChallenge() throws Exception {
        send("POST", "/users", ALICE);
        String[][] routes = {
            {"POST", "/users"}, {"GET", "/users"}, {"GET", "/users/alice"}, {"PATCH", "/users/alice"},
            {"DELETE", "/users/alice"}, {"POST", "/users/alice/tokens"}, {"GET", "/calls"},
        };
        for (String[] route : routes) {
            for (String key : new String[] {null, "wrong-key", KEY + "x", ""}) {
                HttpResponse<String> response = send(route[0], route[1], BodyPublishers.ofString("{}"), key);
                assertThat(response.statusCode()).as("%s %s key=%s", route[0], route[1], key).isEqualTo(401);
                assertThat(response.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
                assertError(response, "unauthorized");
            }
        }
        HttpResponse<String> basic = http.send(HttpRequest.newBuilder(URI.create(base + "/users"))
                .header("Authorization", "Basic " + KEY).GET().build(), BodyHandlers.ofString());
        assertThat(basic.statusCode()).isEqualTo(401);
        assertThat(accounts.findUser("alice")).isPresent();
    }

    // ---- GET /users, GET /users/{username}

    @Test
    void listUsers_returnsAllUsersSorted() throws Exception {
        assertThat(JSON.readTree(send("GET", "/users", null).body()).get("users")).isEmpty();
        send("POST", "/users", "{\"username\":\"zed\",\"password\":\"zed-password\",\"extension\":\"300\"}");
        send("POST", "/users", ALICE);

        HttpResponse<String> response = send("GET", "/users", null);

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode users = JSON.readTree(response.body()).get("users");
        assertThat(users).hasSize(2);
        assertThat(users.get(0).get("username").asText()).isEqualTo("alice");
        assertThat(users.get(1).get("username").asText()).isEqualTo("zed");
        assertThat(response.body()).doesNotContain("argon2");
    }

    @Test
    void getUser_returns200OrUnknown404() throws Exception {
        send("POST", "/users", ALICE);

        HttpResponse<String> found = send("GET", "/users/alice", null);
        assertThat(found.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(found.body()).get("extension").asText()).isEqualTo("101");
        assertError(send("GET", "/users/nobody", null), 404, "not_found");
    }

    // ---- PATCH /users/{username}

    @Test
    void updateUser_changesGivenFieldsAndClearsNumberWithNull() throws Exception {
        send("POST", "/users", ALICE);

        HttpResponse<String> response = send("PATCH", "/users/alice", "{\"display_name\":\"Alice L.\",\"number\":null}");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode user = JSON.readTree(response.body());
        assertThat(user.get("display_name").asText()).isEqualTo("Alice L.");
        assertThat(user.get("extension").asText()).isEqualTo("101");
        assertThat(user.get("number").isNull()).isTrue();

        assertThat(send("PATCH", "/users/alice", "{\"password\":\"brand-new-password\"}").statusCode()).isEqualTo(200);
        assertThat(accounts.signIn("alice", "brand-new-password", "127.0.0.1")).isPresent();
    }

    @Test
    void updateUser_errors_400_404_409_413() throws Exception {
        send("POST", "/users", ALICE);
        send("POST", "/users", "{\"username\":\"bob\",\"password\":\"bob-password\",\"extension\":\"102\"}");

        assertError(send("PATCH", "/users/alice", "{\"extension\":\"1\"}"), 400, "bad_request");
        assertError(send("PATCH", "/users/alice", "{\"extension\":null}"), 400, "bad_request");
        assertError(send("PATCH", "/users/alice", "{\"username\":\"alice2\"}"), 400, "bad_request");
        assertError(send("PATCH", "/users/alice", "nope"), 400, "bad_request");
        assertError(send("PATCH", "/users/nobody", "{\"display_name\":\"X\"}"), 404, "not_found");
        assertError(send("PATCH", "/users/bob", "{\"extension\":\"101\"}"), 409, "duplicate_extension");
        assertError(send("PATCH", "/users/alice", "{\"display_name\":\"" + "x".repeat(70_000) + "\"}"), 413, "payload_too_large");
        assertThat(accounts.findUser("alice").orElseThrow().displayName()).isEqualTo("Alice Liddell");
    }

    // ---- DELETE /users/{username}

    @Test
    void deleteUser_returns204ThenUnknown404_andRevokesSessions() throws Exception {
        send("POST", "/users", ALICE);
        String session = accounts.signIn("alice", "alice-password", "127.0.0.1").orElseThrow().token();

        HttpResponse<String> response = send("DELETE", "/users/alice", null);

        assertThat(response.statusCode()).isEqualTo(204);
        assertThat(response.body()).isEmpty();
        assertThat(accounts.resume(session)).isEmpty();
        assertError(send("DELETE", "/users/alice", null), 404, "not_found");
    }

    // ---- POST /users/{username}/tokens

    @Test
    void mintToken_returns201WithSingleUseToken() throws Exception {
        send("POST", "/users", ALICE);

        HttpResponse<String> response = send("POST", "/users/alice/tokens", null);

        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-store");
        JsonNode body = JSON.readTree(response.body());
        String token = body.get("token").asText();
        Instant expiresAt = Instant.parse(body.get("expires_at").asText());
        assertThat(expiresAt).isBetween(Instant.now().plus(Duration.ofMinutes(9)), Instant.now().plus(Duration.ofMinutes(11)));
        assertThat(accounts.signInWithToken(token, "127.0.0.1")).hasValueSatisfying(s -> assertThat(s.user().username()).isEqualTo("alice"));
        assertThat(accounts.signInWithToken(token, "127.0.0.1")).isEmpty();
        assertError(send("POST", "/users/nobody/tokens", null), 404, "not_found");
    }

    // ---- GET /calls

    @Test
    void listCalls_isEmptyThenNewestFirstWithLimit() throws Exception {
        HttpResponse<String> empty = send("GET", "/calls", null);
        assertThat(empty.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(empty.body()).get("calls")).isEmpty();

        send("POST", "/users", ALICE);
        long aliceId = accounts.findUser("alice").orElseThrow().id();
        insertCall("call-1", aliceId, Instant.parse("2026-01-15T09:00:00Z"));
        insertCall("call-2", aliceId, Instant.parse("2026-01-15T09:30:00Z"));

        JsonNode calls = JSON.readTree(send("GET", "/calls", null).body()).get("calls");
        assertThat(calls).hasSize(2);
        assertThat(calls.get(0).get("id").asText()).isEqualTo("call-2");
        assertThat(calls.get(0).get("username").asText()).isEqualTo("alice");
        assertThat(calls.get(0).get("start_time").asText()).isEqualTo("2026-01-15T09:30:00Z");
        assertThat(calls.get(0).get("answer_time").isNull()).isTrue();
        assertThat(JSON.readTree(send("GET", "/calls?limit=1", null).body()).get("calls")).hasSize(1);
        for (String bad : new String[] {"0", "-1", "abc", "1001"}) {
            assertError(send("GET", "/calls?limit=" + bad, null), 400, "bad_request");
        }
    }

    @Test
    void listCalls_showsEachCallsQualitySummary_nullWithoutOne() throws Exception {
        send("POST", "/users", ALICE);
        long aliceId = accounts.findUser("alice").orElseThrow().id();
        insertCall("call-q", aliceId, Instant.parse("2026-01-15T09:00:00Z"));
        insertCall("call-none", aliceId, Instant.parse("2026-01-15T08:00:00Z"));
        new org.opendialer.core.calls.CallStore(database).saveQuality("call-q",
                new org.opendialer.media.quality.QualitySummary(6, 3.42, 4.01,
                        new org.opendialer.media.quality.LegSummary(6, 4.3, 4.35, 0.2, 1.0, 2.5, 4.0, 3.1),
                        new org.opendialer.media.quality.LegSummary(6, 3.42, 4.05, 3.1, 10.2, 5.0, 12.5, Double.NaN)));

        JsonNode calls = JSON.readTree(send("GET", "/calls", null).body()).get("calls");
        JsonNode q = calls.get(0).get("quality");
        assertThat(q.get("samples").asInt()).isEqualTo(6);
        assertThat(q.get("mos_min").asDouble()).isEqualTo(3.42);
        assertThat(q.get("mos_avg").asDouble()).isEqualTo(4.01);
        assertThat(q.at("/legs/browser/packet_loss_pct_max").asDouble()).isEqualTo(1.0);
        assertThat(q.at("/legs/sip/packet_loss_pct_max").asDouble()).isEqualTo(10.2);
        assertThat(q.at("/legs/sip/jitter_ms_avg").asDouble()).isEqualTo(5.0);
        assertThat(q.at("/legs/sip/rtt_ms_avg").isNull()).isTrue();
        assertThat(calls.get(1).get("quality").isNull()).isTrue();
    }

    // ---- helpers

    Database database;

    private void insertCall(String id, long userId, Instant start) throws Exception {
        try (Connection c = database.dataSource().getConnection();
             PreparedStatement st = c.prepareStatement("INSERT INTO calls (id, user_id, direction, state, start_time, updated_at)"
                     + " VALUES (?, ?, 'outgoing', 'ended', ?, ?)")) {
            st.setString(1, id);
            st.setLong(2, userId);
            st.setObject(3, start.atOffset(ZoneOffset.UTC));
            st.setObject(4, start.atOffset(ZoneOffset.UTC));
            st.executeUpdate();
        }
    }

    // ---- sip_account (PBX mode)

    static final String PBX_ALICE = """
            {"username":"alice","password":"alice-password","extension":"101",
             "sip_account":{"registrar":"sip:127.0.0.1:25060","username":"1001","password":"pbx-secret-9f2c"}}""";

    @Test
    void createUser_withSipAccount_storesIt_andNeverReturnsThePassword() throws Exception {
        HttpResponse<String> response = send("POST", "/users", PBX_ALICE);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        JsonNode sip = JSON.readTree(response.body()).get("sip_account");
        assertThat(sip.get("registrar").asText()).isEqualTo("sip:127.0.0.1:25060");
        assertThat(sip.get("username").asText()).isEqualTo("1001");
        assertThat(sip.get("auth_username").isNull()).isTrue();
        assertThat(sip.get("registered").asBoolean()).isFalse();
        assertThat(response.body()).doesNotContain("pbx-secret-9f2c").doesNotContain("password");
        assertThat(send("GET", "/users/alice", null).body()).doesNotContain("pbx-secret-9f2c").contains("\"registrar\"");
        assertThat(send("GET", "/users", null).body()).doesNotContain("pbx-secret-9f2c").contains("\"sip_account\":{");
        long id = accounts.findUser("alice").orElseThrow().id();
        assertThat(accounts.sipAccount(id).orElseThrow().account().password()).isEqualTo("pbx-secret-9f2c");
    }

    @Test
    void createUser_withoutSipAccount_showsNull() throws Exception {
        JsonNode user = JSON.readTree(send("POST", "/users", ALICE).body());
        assertThat(user.get("sip_account").isNull()).isTrue();
    }

    // ---- withhold_caller_id

    @Test
    void withholdCallerId_isFalseByDefault_setOnCreate_andChangedByPatch() throws Exception {
        assertThat(JSON.readTree(send("POST", "/users", ALICE).body()).get("withhold_caller_id").asBoolean()).isFalse();
        long id = accounts.findUser("alice").orElseThrow().id();
        HttpResponse<String> set = send("PATCH", "/users/alice", "{\"withhold_caller_id\":true}");
        assertThat(set.statusCode()).as(set.body()).isEqualTo(200);
        assertThat(JSON.readTree(set.body()).get("withhold_caller_id").asBoolean()).isTrue();
        assertThat(accounts.callerIdPrivacy().isWithheld(id)).isTrue();
        assertThat(send("PATCH", "/users/alice", "{\"display_name\":\"Alice\"}").body())
                .contains("\"withhold_caller_id\":true"); // absent: unchanged
        assertThat(send("GET", "/users", null).body()).contains("\"withhold_caller_id\":true");
        assertThat(JSON.readTree(send("PATCH", "/users/alice", "{\"withhold_caller_id\":false}").body())
                .get("withhold_caller_id").asBoolean()).isFalse();
        assertThat(accounts.callerIdPrivacy().isWithheld(id)).isFalse();

        HttpResponse<String> created = send("POST", "/users", """
                {"username":"bob","password":"bob-password-1","extension":"102","withhold_caller_id":true}""");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(JSON.readTree(created.body()).get("withhold_caller_id").asBoolean()).isTrue();
        assertThat(send("DELETE", "/users/bob", null).statusCode()).isEqualTo(204);
    }

    @Test
    void withholdCallerId_notABoolean_is400_andChangesNothing() throws Exception {
        assertBadRequest("POST", "/users", """
                {"username":"alice","password":"alice-password","extension":"101","withhold_caller_id":"yes"}""",
                "withhold_caller_id must be true or false");
        assertThat(send("GET", "/users/alice", null).statusCode()).isEqualTo(404);
        send("POST", "/users", ALICE);
        assertBadRequest("PATCH", "/users/alice", "{\"withhold_caller_id\":1,\"display_name\":\"X\"}",
                "withhold_caller_id must be true or false");
        JsonNode alice = JSON.readTree(send("GET", "/users/alice", null).body());
        assertThat(alice.get("withhold_caller_id").asBoolean()).isFalse();
        assertThat(alice.get("display_name").asText()).isEqualTo("Alice Liddell");
    }

    // ---- destination_policy (toll fraud, docs/security.md)

    @Test
    void destinationPolicy_isNullByDefault_setOnCreate_changedAndRemovedByPatch() throws Exception {
        assertThat(JSON.readTree(send("POST", "/users", ALICE).body()).get("destination_policy").isNull()).isTrue();
        HttpResponse<String> set = send("PATCH", "/users/alice",
                "{\"destination_policy\":{\"allow_premium\":true,\"allowed_countries\":[\"ie\",\"GB\"]}}");
        assertThat(set.statusCode()).as(set.body()).isEqualTo(200);
        JsonNode policy = JSON.readTree(send("GET", "/users/alice", null).body()).get("destination_policy");
        assertThat(policy.get("allow_premium").asBoolean()).isTrue();
        assertThat(policy.get("allowed_countries").toString()).isEqualTo("[\"GB\",\"IE\"]");
        long id = accounts.findUser("alice").orElseThrow().id();
        assertThat(accounts.destinationOverrides().find(id).orElseThrow().allowedCountries()).containsExactlyInAnyOrder("GB", "IE");
        assertThat(send("GET", "/users", null).body()).contains("\"destination_policy\":{\"allow_premium\":true");

        assertThat(send("PATCH", "/users/alice", "{\"display_name\":\"Alice\"}").body())
                .contains("\"allow_premium\":true"); // absent: unchanged
        HttpResponse<String> removed = send("PATCH", "/users/alice", "{\"destination_policy\":null}");
        assertThat(JSON.readTree(removed.body()).get("destination_policy").isNull()).isTrue();
        assertThat(accounts.destinationOverrides().find(id)).isEmpty();

        HttpResponse<String> created = send("POST", "/users", """
                {"username":"bob","password":"bob-password-1","extension":"102",
                 "destination_policy":{"allow_premium":true}}""");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(JSON.readTree(created.body()).path("destination_policy").path("allow_premium").asBoolean()).isTrue();
        assertThat(send("DELETE", "/users/bob", null).statusCode()).isEqualTo(204);
    }

    @Test
    void destinationPolicy_badValues_are400_namingTheField_andChangeNothing() throws Exception {
        assertBadRequest("POST", "/users", """
                {"username":"alice","password":"alice-password","extension":"101",
                 "destination_policy":{"allowed_countries":["XX"]}}""", "destination_policy.allowed_countries");
        assertThat(send("GET", "/users/alice", null).statusCode()).isEqualTo(404); // nothing created
        send("POST", "/users", ALICE);
        assertBadRequest("PATCH", "/users/alice", "{\"destination_policy\":{\"allow_premium\":\"yes\"}}",
                "destination_policy.allow_premium");
        assertBadRequest("PATCH", "/users/alice", "{\"destination_policy\":{\"allowed_countries\":\"GB\"}}",
                "destination_policy.allowed_countries");
        assertBadRequest("PATCH", "/users/alice", "{\"destination_policy\":{\"premium\":true}}",
                "unknown field: destination_policy.premium");
        assertBadRequest("PATCH", "/users/alice", "{\"destination_policy\":true}", "destination_policy must be an object");
        assertThat(JSON.readTree(send("GET", "/users/alice", null).body()).get("destination_policy").isNull()).isTrue();
    }

    @Test
    void createUser_withBadSipAccount_is400_andCreatesNothing() throws Exception {
        assertBadRequest("POST", "/users", """
                {"username":"alice","password":"alice-password","extension":"101",
                 "sip_account":{"registrar":"http://pbx","username":"1001","password":"x"}}""", "sip_account.registrar");
        assertBadRequest("POST", "/users", """
                {"username":"alice","password":"alice-password","extension":"101",
                 "sip_account":{"registrar":"sip:pbx","username":"1001"}}""", "sip_account.password is required");
        assertBadRequest("POST", "/users", """
                {"username":"alice","password":"alice-password","extension":"101",
                 "sip_account":{"registrar":"sip:pbx","username":"1001","password":"x","proxy":"y"}}""",
                "unknown field: sip_account.proxy");
        assertBadRequest("POST", "/users", """
                {"username":"alice","password":"alice-password","extension":"101","sip_account":"sip:pbx"}""",
                "sip_account must be an object or null");
        assertBadRequest("POST", "/users", """
                {"username":"alice","password":"alice-password","extension":"101",
                 "sip_account":{"registrar":"sip:pbx","username":1001,"password":"x"}}""",
                "sip_account.username must be a string");
        assertThat(accounts.findUser("alice")).isEmpty();
    }

    @Test
    void patchUser_sipAccount_setsKeepsPasswordWhenOmitted_andNullRemoves() throws Exception {
        send("POST", "/users", ALICE);
        long id = accounts.findUser("alice").orElseThrow().id();

        HttpResponse<String> set = send("PATCH", "/users/alice", """
                {"sip_account":{"registrar":"sip:pbx.example.com;transport=tcp","username":"1001","password":"first-secret"}}""");
        assertThat(set.statusCode()).as(set.body()).isEqualTo(200);
        assertThat(JSON.readTree(set.body()).get("sip_account").get("registrar").asText())
                .isEqualTo("sip:pbx.example.com;transport=tcp");

        HttpResponse<String> change = send("PATCH", "/users/alice", """
                {"sip_account":{"registrar":"sip:pbx.example.com","username":"1002","auth_username":"a1002"}}""");
        assertThat(change.statusCode()).as(change.body()).isEqualTo(200);
        var stored = accounts.sipAccount(id).orElseThrow().account();
        assertThat(stored.username()).isEqualTo("1002");
        assertThat(stored.digestUsername()).isEqualTo("a1002");
        assertThat(stored.password()).isEqualTo("first-secret");

        HttpResponse<String> removed = send("PATCH", "/users/alice", "{\"sip_account\":null}");
        assertThat(removed.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(removed.body()).get("sip_account").isNull()).isTrue();
        assertThat(accounts.sipAccount(id)).isEmpty();
    }

    @Test
    void patchUser_newSipAccountWithoutPassword_is400() throws Exception {
        send("POST", "/users", ALICE);
        assertBadRequest("PATCH", "/users/alice", """
                {"sip_account":{"registrar":"sip:pbx","username":"1001"}}""", "sip_account.password is required");
    }

    private void assertBadRequest(String method, String path, String body, String message) throws Exception {
        HttpResponse<String> response = send(method, path, body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        JsonNode error = JSON.readTree(response.body());
        assertThat(error.get("error").asText()).isEqualTo("bad_request");
        assertThat(error.get("message").asText()).contains(message);
    }

    HttpResponse<String> send(String method, String path, String body) throws IOException, InterruptedException {
        return send(method, path, body == null ? BodyPublishers.noBody() : BodyPublishers.ofString(body), KEY);
    }

    HttpResponse<String> send(String method, String path, BodyPublisher body, String key) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(10))
                .method(method, body)
                .header("Content-Type", "application/json");
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        return http.send(request.build(), BodyHandlers.ofString());
    }

    static void assertError(HttpResponse<String> response, int status, String code) throws IOException {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertError(response, code);
    }

    static void assertError(HttpResponse<String> response, String code) throws IOException {
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.get("error").asText()).isEqualTo(code);
        assertThat(body.get("message").asText()).isNotBlank();
    }
}
