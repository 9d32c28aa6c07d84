package org.opendialer.app.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.WebSocketHandshakeException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opendialer.app.GatewayFixture;
import org.opendialer.app.WsTestClient;

class DialerWebSocketTest {
    @TempDir
    static Path dir;
    static GatewayFixture gateway;
    WsTestClient client;

    @BeforeAll
    static void start() throws Exception {
        gateway = GatewayFixture.start(dir);
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @BeforeEach
    void connect() {
        client = WsTestClient.connect(gateway.baseUrl());
    }

    @AfterEach
    void disconnect() {
        client.close();
    }

    @Test
    void hello_answersProtocolServerAndVersion() throws Exception {
        JsonNode response = client.request("h1", "hello", "{\"protocol\":1}");
        assertThat(response.get("v").intValue()).isEqualTo(1);
        assertThat(response.get("type").textValue()).isEqualTo("response");
        assertThat(response.get("id").textValue()).isEqualTo("h1");
        assertThat(response.get("ok").booleanValue()).isTrue();
        assertThat(response.get("result").get("protocol").intValue()).isEqualTo(1);
        assertThat(response.get("result").get("server").textValue()).isEqualTo("opendialer");
        assertThat(response.get("result").get("version").textValue()).isNotBlank();
    }

    @Test
    void hello_withAnotherProtocol_answersBadRequest() throws Exception {
        assertError(client.request("h2", "hello", "{\"protocol\":2}"), "h2", "bad_request");
    }

    @Test
    void placeCall_withLetters_answersInvalidPhoneNumber() throws Exception {
        JsonNode response = client.request("c1", "placeCall", "{\"to\":\"invalid_input\"}");
        assertError(response, "c1", "invalid_phone_number");
        assertThat(response.get("error").get("message").textValue()).contains("not a phone number");
    }

    @Test
    void placeCall_withoutTo_answersInvalidPhoneNumber() throws Exception {
        assertError(client.request("c2", "placeCall", "{}"), "c2", "invalid_phone_number");
        assertError(client.request("c3", "placeCall", "{\"to\":12015550123}"), "c3", "invalid_phone_number");
    }

    @Test
    void placeCall_withTooLongNumber_answersInvalidPhoneNumber() throws Exception {
        JsonNode response = client.request("c4", "placeCall", "{\"to\":\"" + "1".repeat(10_000) + "\"}");
        assertError(response, "c4", "invalid_phone_number");
        assertThat(response.get("error").get("message").textValue()).contains("too long");
    }

    @Test
    void placeCall_validButSignedOut_answersAuthenticationRequired() throws Exception {
        JsonNode response = client.request("c5", "placeCall", "{\"to\":\"+1 201 555 0123\"}");
        assertError(response, "c5", "authentication_required");
        assertThat(response.get("error").get("message").textValue()).isEqualTo("Sign in to place calls.");
    }

    @Test
    void unknownMethod_answersUnknownMethod() throws Exception {
        assertError(client.request("u1", "hangUpEverything", "{}"), "u1", "unknown_method");
    }

    @Test
    void notJson_answersBadRequestWithNullId_andTheConnectionStillAnswers() throws Exception {
        client.sendText("this is not json");
        assertError(client.next(), null, "bad_request");
        assertHelloStillWorks();
    }

    @Test
    void wrongVersion_answersBadRequestWithTheId_andTheConnectionStillAnswers() throws Exception {
        client.sendText("{\"v\":2,\"type\":\"request\",\"id\":\"w1\",\"method\":\"hello\",\"params\":{}}");
        assertError(client.next(), "w1", "bad_request");
        assertHelloStillWorks();
    }

    @Test
    void arrayAndMissingId_answerBadRequest_andTheConnectionStillAnswers() throws Exception {
        client.sendText("[1,2,3]");
        assertError(client.next(), null, "bad_request");
        client.sendText("{\"v\":1,\"type\":\"request\",\"method\":\"hello\",\"params\":{}}");
        assertError(client.next(), null, "bad_request");
        assertHelloStillWorks();
    }

    @Test
    void binaryFrame_answersBadRequest_andTheConnectionStillAnswers() throws Exception {
        client.sendBinary(new byte[] {1, 2, 3});
        assertError(client.next(), null, "bad_request");
        assertHelloStillWorks();
    }

    @Test
    void frameOver64KiB_answersBadRequest_andTheConnectionStillAnswers() throws Exception {
        String pad = "x".repeat(70 * 1024);
        client.sendText("{\"v\":1,\"type\":\"request\",\"id\":\"big\",\"method\":\"hello\",\"params\":{\"pad\":\"" + pad + "\"}}");
        JsonNode response = client.next();
        assertError(response, null, "bad_request");
        assertThat(response.get("error").get("message").textValue()).contains("larger than 65536 bytes");
        assertHelloStillWorks();
    }

    @Test
    void frameBeyondJettysLimit_closesTheConnectionWithMessageTooBig() throws Exception {
        client.sendText("\"" + "x".repeat(WsEndpoint.JETTY_MAX_MESSAGE_BYTES + 1024) + "\"");
        assertThat(client.awaitCloseCode()).isEqualTo(1009);
    }

    @Test
    void foreignOrigin_isRefusedAtTheUpgrade() {
        assertThatThrownBy(() -> WsTestClient.connect(gateway.baseUrl(), "https://evil.example"))
                .isInstanceOf(CompletionException.class)
                .hasCauseInstanceOf(WebSocketHandshakeException.class)
                .satisfies(e -> assertThat(((WebSocketHandshakeException) e.getCause()).getResponse().statusCode())
                        .isEqualTo(403));
    }

    @Test
    void originOfTheRequestedHost_isAccepted() throws Exception {
        String viaLocalhost = gateway.baseUrl().replace("127.0.0.1", "localhost");
        try (WsTestClient other = WsTestClient.connect(viaLocalhost, viaLocalhost)) {
            assertThat(other.request("o1", "hello", "{\"protocol\":1}").get("ok").booleanValue()).isTrue();
        }
    }

    @Test
    void signIn_withRightPassword_returnsSessionAndUser_thenPlaceCallSaysCallsUnavailable() throws Exception {
        JsonNode response = signInAlice();
        JsonNode result = response.get("result");
        assertThat(result.get("session").get("token").textValue()).isNotBlank();
        assertThat(java.time.Instant.parse(result.get("session").get("expires_at").textValue()))
                .isAfter(gateway.clock.instant());
        assertThat(result.get("user").toString()).isEqualTo(
                "{\"username\":\"alice\",\"display_name\":\"Alice Agent\",\"extension\":\"1001\",\"number\":\"+12015550123\"}");
        JsonNode call = client.request("c6", "placeCall", "{\"to\":\"2015550199\"}");
        assertError(call, "c6", "calls_unavailable");
        assertThat(call.get("error").get("message").textValue()).isEqualTo("This gateway cannot place calls yet.");
    }

    @Test
    void signIn_withWrongPasswordOrUnknownUser_answersTheSameInvalidCredentials() throws Exception {
        JsonNode wrong = client.request("s1", "signIn", "{\"username\":\"alice\",\"password\":\"nope\"}");
        JsonNode unknown = client.request("s2", "signIn", "{\"username\":\"mallory\",\"password\":\"nope\"}");
        assertError(wrong, "s1", "invalid_credentials");
        assertError(unknown, "s2", "invalid_credentials");
        assertThat(wrong.get("error").get("message").textValue()).isEqualTo("Wrong username or password.");
        assertThat(unknown.get("error")).isEqualTo(wrong.get("error"));
    }

    @Test
    void signIn_withMissingPassword_answersBadRequest() throws Exception {
        assertError(client.request("s3", "signIn", "{\"username\":\"alice\"}"), "s3", "bad_request");
    }

    @Test
    void signInWithToken_acceptsAMintedTokenOnce() throws Exception {
        String token = gateway.accounts.mintSignInToken("alice").token();
        JsonNode first = client.request("t1", "signInWithToken", "{\"token\":\"" + token + "\"}");
        assertThat(first.get("ok").booleanValue()).isTrue();
        assertThat(first.get("result").get("user").get("username").textValue()).isEqualTo("alice");
        JsonNode second = client.request("t2", "signInWithToken", "{\"token\":\"" + token + "\"}");
        assertError(second, "t2", "invalid_credentials");
        assertThat(second.get("error").get("message").textValue()).isEqualTo("Wrong username or password.");
    }

    @Test
    void resume_onANewConnection_signsItIn() throws Exception {
        String token = signInAlice().get("result").get("session").get("token").textValue();
        try (WsTestClient second = WsTestClient.connect(gateway.baseUrl())) {
            JsonNode resumed = second.request("r1", "resume", "{\"session_token\":\"" + token + "\"}");
            assertThat(resumed.get("ok").booleanValue()).isTrue();
            assertThat(resumed.get("result").get("session").get("token").textValue()).isEqualTo(token);
            assertError(second.request("r2", "placeCall", "{\"to\":\"1002\"}"), "r2", "calls_unavailable");
        }
    }

    @Test
    void resume_withUnknownToken_answersAuthenticationRequired() throws Exception {
        assertError(client.request("r3", "resume", "{\"session_token\":\"bogus\"}"), "r3", "authentication_required");
    }

    @Test
    void signOut_revokesTheSessionAndMakesTheConnectionAnonymous() throws Exception {
        String token = signInAlice().get("result").get("session").get("token").textValue();
        JsonNode out = client.request("o1", "signOut", "{}");
        assertThat(out.get("ok").booleanValue()).isTrue();
        assertThat(out.get("result").isNull()).isTrue();
        assertError(client.request("o2", "placeCall", "{\"to\":\"1002\"}"), "o2", "authentication_required");
        assertError(client.request("o3", "resume", "{\"session_token\":\"" + token + "\"}"), "o3", "authentication_required");
    }

    @Test
    void sessionRevokedElsewhere_placeCallAnswersAuthenticationRequiredAfterAnAuthStateEvent() throws Exception {
        String token = signInAlice().get("result").get("session").get("token").textValue();
        gateway.accounts.signOut(token);
        client.sendText("{\"v\":1,\"type\":\"request\",\"id\":\"x1\",\"method\":\"placeCall\",\"params\":{\"to\":\"1002\"}}");
        JsonNode event = client.next();
        assertThat(event.get("type").textValue()).isEqualTo("event");
        assertThat(event.get("event").get("type").textValue()).isEqualTo("authStateChanged");
        assertThat(event.get("event").get("signed_in").booleanValue()).isFalse();
        assertThat(event.get("event").get("reason").textValue()).isEqualTo("expired");
        assertError(client.next(), "x1", "authentication_required");
    }

    @Test
    void sessionIdleLongerThanTheTtl_expires() throws Exception {
        signInAlice();
        gateway.clock.advance(gateway.config.sessionIdleTtl().plus(Duration.ofSeconds(1)));
        client.sendText("{\"v\":1,\"type\":\"request\",\"id\":\"e1\",\"method\":\"placeCall\",\"params\":{\"to\":\"1002\"}}");
        assertThat(client.next().get("event").get("reason").textValue()).isEqualTo("expired");
        assertError(client.next(), "e1", "authentication_required");
    }

    private JsonNode signInAlice() throws Exception {
        JsonNode response = client.request("signin", "signIn",
                "{\"username\":\"alice\",\"password\":\"" + GatewayFixture.PASSWORD + "\"}");
        assertThat(response.get("ok").booleanValue()).as(response.toString()).isTrue();
        return response;
    }

    private void assertHelloStillWorks() throws Exception {
        JsonNode response = client.request("again", "hello", "{\"protocol\":1}");
        assertThat(response.get("ok").booleanValue()).as(response.toString()).isTrue();
    }

    private static void assertError(JsonNode response, String id, String code) {
        assertThat(response.get("type").textValue()).as(response.toString()).isEqualTo("response");
        if (id == null) {
            assertThat(response.get("id").isNull()).as(response.toString()).isTrue();
        } else {
            assertThat(response.get("id").textValue()).as(response.toString()).isEqualTo(id);
        }
        assertThat(response.get("ok").booleanValue()).as(response.toString()).isFalse();
        assertThat(response.get("error").get("code").textValue()).as(response.toString()).isEqualTo(code);
        assertThat(response.get("error").get("message").textValue()).isNotBlank();
    }
}
