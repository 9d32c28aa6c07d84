package org.opendialer.app.ws;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Calls through the real gateway and its SIP agent, with SIPp as the trunk (the setup an e2e test uses). */
class CallSipWebSocketTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String ADMIN_KEY = "admin-key-0123456789";

    @TempDir
    Path dir;
    private CallGateway gateway;
    private int sipPort;

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
    }

    private CallGateway start(String trunkUri) throws Exception {
        sipPort = SippTrunk.freeEvenUdpPort();
        gateway = new CallGateway(dir, Map.of(
                "DIALER_SIP_TRUNK", trunkUri,
                "DIALER_SIP_PORT", String.valueOf(sipPort),
                "DIALER_PUBLIC_ADDRESS", "127.0.0.1",
                "DIALER_RTP_PORTS", "22000-22999",
                "DIALER_ADMIN_KEY", ADMIN_KEY));
        return gateway;
    }

    private static List<String> summaries(List<JsonNode> calls) {
        return calls.stream().map(CallGateway.Dialer::summary).toList();
    }

    @Test
    void outboundCall_answeredThenFarEndHangsUp_andTheLogSurvivesARestart() throws Exception {
        String callId;
        try (SippTrunk trunk = SippTrunk.uas("uas_answer_then_bye.xml")) {
            start(trunk.uri());
            try (var alice = gateway.signIn("alice")) {
                callId = alice.call("placeCall", "{\"to\":\"+1 415 555 0199\"}").path("result").path("call_id")
                        .asText();
                List<JsonNode> calls = alice.nextCalls(3);
                assertThat(summaries(calls)).containsExactly("connecting@1", "answered@2",
                        "disconnected/remote_hangup@3");
                assertThat(calls).allSatisfy(c -> assertThat(c.path("id").asText()).isEqualTo(callId));
                assertThat(calls.get(0).path("from").asText()).isEqualTo("+12015550123");
                assertThat(calls.get(0).path("to").asText()).isEqualTo("+14155550199");
                assertThat(trunk.awaitExit(WAIT)).as(trunk.logs()).isZero();
            }
        }
        gateway.close();
        gateway = null;
        start("sip:127.0.0.1:9"); // same data directory, same H2 file

        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(gateway.config.publicUrlText() + "/api/v1/calls"))
                .header("Authorization", "Bearer " + ADMIN_KEY).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode logged = new ObjectMapper().readTree(response.body()).path("calls");
        assertThat(logged).hasSize(1);
        assertThat(logged.get(0).path("id").asText()).isEqualTo(callId);
        assertThat(logged.get(0).path("state").asText()).isEqualTo("disconnected");
        assertThat(logged.get(0).path("result").asText()).isEqualTo("answered");
        assertThat(logged.get(0).path("end_reason").asText()).isEqualTo("remote_hangup");
    }

    @Test
    void inboundCall_ringsBothTabs_answeredOnOne_theOtherSeesAnsweredElsewhere_hangUpSendsBye() throws Exception {
        start("sip:127.0.0.1:9");
        try (var tab1 = gateway.signIn("alice"); var tab2 = gateway.signIn("alice");
             SippTrunk caller = SippTrunk.uac("uac_answered.xml", sipPort, "+12015550123")) {
            JsonNode ringing = tab1.nextCall();
            assertThat(tab2.nextCall()).isEqualTo(ringing);
            assertThat(ringing.path("direction").asText()).isEqualTo("inbound");
            assertThat(ringing.path("from").asText()).isEqualTo("+14155550100");
            assertThat(ringing.path("caller").path("caller_display_name").asText()).isEqualTo("Ada Lovelace");

            assertThat(tab1.call("answer", "{}").path("ok").asBoolean()).isTrue();
            assertThat(summaries(tab2.nextCalls(1))).containsExactly("disconnected/answered_elsewhere@2");
            assertThat(tab1.call("hangUp", "{}").path("ok").asBoolean()).isTrue();
            assertThat(caller.awaitExit(WAIT)).as(caller.logs()).isZero();
            assertThat(summaries(tab1.nextCalls(2))).containsExactly("answered@2", "disconnected/local_hangup@3");
            assertThat(tab2.quiet(Duration.ofMillis(200))).isTrue();
        }
    }

    @Test
    void unusableSdpOffer_isBadRequest_andNoInviteIsSent() throws Exception {
        try (SippTrunk trunk = SippTrunk.uas("uas_answer_wait_bye.xml")) {
            start(trunk.uri());
            try (var alice = gateway.signIn("alice")) {
                JsonNode noAudio = alice.call("placeCall", "{\"to\":\"+14155550199\",\"sdp\":\"v=0\\r\\ns=-\\r\\n\"}");
                assertThat(noAudio.path("ok").asBoolean()).isFalse();
                assertThat(noAudio.path("error").path("code").asText()).isEqualTo("bad_request");
                assertThat(noAudio.path("error").path("message").asText()).contains("SDP");
                JsonNode notText = alice.call("placeCall", "{\"to\":\"+14155550199\",\"sdp\":42}");
                assertThat(notText.path("error").path("code").asText()).isEqualTo("bad_request");
                JsonNode huge = alice.call("placeCall", "{\"to\":\"+14155550199\",\"sdp\":\"" + "a".repeat(17_000) + "\"}");
                assertThat(huge.path("error").path("code").asText()).isEqualTo("bad_request");

                // The user can still call, and the bad offers placed no call: this call comes after them, so one INVITE
                // in the trunk's log (one Call-ID) and this call as the dialer's first prove nothing went out before.
                JsonNode placed = alice.call("placeCall", "{\"to\":\"+14155550199\"}");
                assertThat(placed.path("ok").asBoolean()).as(placed.toString()).isTrue();
                assertThat(placed.path("result").path("sdp").isNull()).isTrue();
                assertThat(summaries(alice.nextCalls(2))).containsExactly("connecting@1", "answered@2");
                alice.call("hangUp", "{}");
                assertThat(trunk.awaitExit(WAIT)).as(trunk.logs()).isZero();
                assertThat(java.util.regex.Pattern.compile("(?ms)^INVITE sip:.*?^(?:Call-ID|i):\\s*(\\S+)")
                        .matcher(trunk.messages()).results().map(m -> m.group(1)).distinct()).hasSize(1);
            }
        }
    }

    @Test
    void holdAndUpdateMedia_checkTheirParams_andNeedACall() throws Exception {
        start("sip:127.0.0.1:9");
        try (var alice = gateway.signIn("alice")) {
            assertThat(alice.call("hold", "{}").path("error").path("code").asText()).isEqualTo("bad_request");
            assertThat(alice.call("hold", "{\"held\":\"yes\"}").path("error").path("code").asText())
                    .isEqualTo("bad_request");
            assertThat(alice.call("hold", "{\"held\":true}").path("error").path("code").asText())
                    .isEqualTo("call_not_found");
            assertThat(alice.call("updateMedia", "{\"call_id\":\"x\"}").path("error").path("code").asText())
                    .isEqualTo("bad_request");
            assertThat(alice.call("updateMedia", "{\"call_id\":\"x\",\"sdp\":\"v=0\"}").path("error").path("code")
                    .asText()).isEqualTo("call_not_found");
        }
    }
}
