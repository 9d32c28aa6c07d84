package org.opendialer.app.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.opendialer.app.ws.CallGateway.Dialer.summary;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opendialer.app.WsTestClient;
import org.opendialer.testkit.BrowserOffers;

/** protocol.md part 5 over the real WebSocket: device ids, missed events on resume, the audio moving. */
class ResilienceWebSocketTest {
    @TempDir
    Path dir;
    private CallGateway gateway;

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
    }

    private CallGateway.Dialer connect() throws Exception {
        return new CallGateway.Dialer(WsTestClient.connect(gateway.config.publicUrlText()));
    }

    private CallGateway.Dialer signIn(String username, String device) throws Exception {
        CallGateway.Dialer d = connect();
        assertOk(d.call("hello", "{\"protocol\":1,\"device\":\"" + device + "\"}"));
        assertOk(d.call("signIn", "{\"username\":\"" + username + "\",\"password\":\"" + CallGateway.PASSWORD + "\"}"));
        return d;
    }

    private static JsonNode assertOk(JsonNode response) {
        assertThat(response.path("ok").asBoolean()).as(response.toString()).isTrue();
        return response;
    }

    private static String errorOf(JsonNode response) {
        return response.path("error").path("code").asText();
    }

    private static String offer(int key, String ufrag) {
        return BrowserOffers.audioOfferJson(key, ufrag);
    }

    @Test
    void resume_sendsTheChangesTheDialerMissed_beforeItsResponse_onceAndInOrder() throws Exception {
        gateway = new CallGateway(dir, Map.of());
        String token;
        String callId;
        try (var bob = signIn("bob", "bob-laptop")) {
            try (var alice = connect()) {
                assertOk(alice.call("hello", "{\"protocol\":1,\"device\":\"alice-laptop\"}"));
                token = tokenOf(assertOk(alice.call("signIn", "{\"username\":\"alice\",\"password\":\""
                        + CallGateway.PASSWORD + "\"}")));
                callId = alice.call("placeCall", "{\"to\":\"1002\"}").path("result").path("call_id").asText();
                assertThat(summary(alice.nextCall())).isEqualTo("connecting@1");
            } // alice's WebSocket drops here
            bob.nextCall();
            assertOk(bob.call("answer", "{}"));
            assertOk(bob.call("hangUp", "{}"));
        }
        try (var alice = connect()) {
            assertOk(alice.call("hello", "{\"protocol\":1,\"device\":\"alice-laptop\"}"));
            assertOk(alice.call("resume", "{\"session_token\":\"" + token + "\",\"calls\":[{\"call_id\":\""
                    + callId + "\",\"seq\":1}]}"));
            assertThat(alice.queuedEvents()).as("missed events precede the response").isEqualTo(2);
            assertThat(alice.nextCalls(2)).extracting(CallGateway.Dialer::summary)
                    .containsExactly("answered@2", "disconnected/remote_hangup@3");
            assertThat(alice.quiet(Duration.ofMillis(300))).isTrue();
        }
    }

    private static String tokenOf(JsonNode signInResponse) {
        return signInResponse.path("result").path("session").path("token").asText();
    }

    @Test
    void tabsOfOneDeviceKeepSeeingTheAnsweredCall_anotherDeviceSeesItAnsweredElsewhere() throws Exception {
        gateway = new CallGateway(dir, Map.of());
        try (var alice = signIn("alice", "alice-laptop"); var tab1 = signIn("bob", "bob-laptop");
             var tab2 = signIn("bob", "bob-laptop"); var phone = signIn("bob", "bob-phone")) {
            assertOk(alice.call("placeCall", "{\"to\":\"1002\"}"));
            String id = tab1.nextCall().path("id").asText();
            tab2.nextCall();
            phone.nextCall();
            assertOk(tab1.call("answer", "{\"call_id\":\"" + id + "\"}"));
            assertThat(summary(tab2.nextCall())).isEqualTo("answered@2");
            assertThat(summary(phone.nextCall())).isEqualTo("disconnected/answered_elsewhere@2");
            assertThat(errorOf(phone.call("hangUp", "{\"call_id\":\"" + id + "\"}"))).isEqualTo("call_not_found");
            assertOk(tab2.call("hangUp", "{\"call_id\":\"" + id + "\"}")); // the other tab may act on it
            assertThat(summary(tab1.nextCalls(2).get(1))).isEqualTo("disconnected/local_hangup@3");
            assertThat(summary(tab2.nextCall())).isEqualTo("disconnected/local_hangup@3");
            assertThat(phone.quiet(Duration.ofMillis(300))).isTrue();
        }
    }

    @Test
    void updateMedia_withTake_movesTheAudio_andTellsTheTabThatHadIt_withoutTakeItIsMediaMoved() throws Exception {
        gateway = new CallGateway(dir, Map.of());
        try (var tabA = signIn("alice", "alice-laptop"); var tabB = signIn("alice", "alice-laptop");
             var bob = signIn("bob", "bob-laptop")) {
            String id = assertOk(tabA.call("placeCall", "{\"to\":\"1002\",\"sdp\":\"" + offer(0xA1, "ufragA") + "\"}"))
                    .path("result").path("call_id").asText();
            bob.nextCall();
            assertOk(bob.call("answer", "{\"sdp\":\"" + offer(0xB1, "ufragB") + "\"}"));
            assertThat(summary(tabB.nextCalls(2).get(1))).isEqualTo("answered@2");

            JsonNode refused = tabB.call("updateMedia", "{\"call_id\":\"" + id + "\",\"sdp\":\""
                    + offer(0xA2, "ufragC") + "\"}");
            assertThat(errorOf(refused)).isEqualTo("media_moved");
            assertOk(tabB.call("updateMedia", "{\"call_id\":\"" + id + "\",\"sdp\":\"" + offer(0xA2, "ufragD")
                    + "\",\"take\":true}"));
            tabA.nextCalls(2); // connecting, answered
            JsonNode moved = tabA.ws.next().path("event");
            assertThat(moved.path("type").asText()).isEqualTo("mediaMoved");
            assertThat(moved.path("call_id").asText()).isEqualTo(id);
            assertThat(errorOf(tabA.call("updateMedia", "{\"call_id\":\"" + id + "\",\"sdp\":\""
                    + offer(0xA1, "ufragE") + "\"}"))).isEqualTo("media_moved");
            assertThat(errorOf(tabA.call("updateMedia", "{\"call_id\":\"" + id + "\",\"sdp\":\""
                    + offer(0xA1, "ufragE") + "\",\"take\":\"yes\"}"))).isEqualTo("bad_request");
        }
    }

    @Test
    void malformedDeviceAndKnownCalls_areBadRequests_andTheConnectionStaysUsable() throws Exception {
        gateway = new CallGateway(dir, Map.of());
        try (var d = connect()) {
            for (String device : new String[] {"\"has space\"", "\"\"", "\"" + "x".repeat(65) + "\"", "7", "null",
                    "\"caf\\u00e9\""}) {
                assertThat(errorOf(d.call("hello", "{\"protocol\":1,\"device\":" + device + "}"))).as(device)
                        .isEqualTo("bad_request");
            }
            assertOk(d.call("hello", "{\"protocol\":1,\"device\":\"" + "x".repeat(64) + "\"}"));
            String token = tokenOf(assertOk(d.call("signIn", "{\"username\":\"alice\",\"password\":\""
                    + CallGateway.PASSWORD + "\"}")));
            StringBuilder tooMany = new StringBuilder("[");
            for (int i = 0; i < 51; i++) {
                tooMany.append(i == 0 ? "" : ",").append("{\"call_id\":\"c").append(i).append("\",\"seq\":1}");
            }
            for (String calls : new String[] {"{}", "\"c1\"", tooMany + "]", "[{\"call_id\":\"c1\"}]",
                    "[{\"call_id\":\"c1\",\"seq\":-1}]", "[{\"call_id\":\"c1\",\"seq\":1.5}]",
                    "[{\"call_id\":\"\",\"seq\":1}]", "[{\"call_id\":\"c1\",\"seq\":1,\"x\":0}]",
                    "[{\"call_id\":\"" + "c".repeat(65) + "\",\"seq\":1}]", "[7]"}) {
                assertThat(errorOf(d.call("resume", "{\"session_token\":\"" + token + "\",\"calls\":" + calls + "}")))
                        .as(calls).isEqualTo("bad_request");
            }
            assertOk(d.call("resume", "{\"session_token\":\"" + token + "\",\"calls\":[{\"call_id\":\"unknown\","
                    + "\"seq\":0}]}"));
            assertThat(d.quiet(Duration.ofMillis(200))).isTrue();
        }
    }
}
