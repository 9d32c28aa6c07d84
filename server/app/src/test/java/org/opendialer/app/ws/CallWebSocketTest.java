package org.opendialer.app.ws;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.opendialer.app.WsTestClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opendialer.core.accounts.CallLog;
import org.opendialer.core.accounts.CallRecord;

/** Calls through the real gateway: WebSocket requests and the exact callStateChanged sequences. */
class CallWebSocketTest {
    @TempDir
    Path dir;
    private CallGateway gateway;

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
    }

    private static List<String> summaries(List<JsonNode> calls) {
        return calls.stream().map(CallGateway.Dialer::summary).toList();
    }

    @Test
    void extensionCall_ringsEveryDialerOfTheCallee_firstToAnswerGetsIt_hangUpEndsItForBoth() throws Exception {
        gateway = new CallGateway(dir, Map.of());
        try (var alice = gateway.signIn("alice"); var bob1 = gateway.signIn("bob"); var bob2 = gateway.signIn("bob")) {
            JsonNode placed = alice.call("placeCall", "{\"to\":\"1002\"}");
            String aliceCallId = placed.path("result").path("call_id").asText();
            assertThat(aliceCallId).isNotEmpty();

            JsonNode outRinging = alice.nextCall();
            assertThat(outRinging.path("id").asText()).isEqualTo(aliceCallId);
            assertThat(outRinging.path("direction").asText()).isEqualTo("outbound");
            JsonNode ringing = bob1.nextCall();
            assertThat(bob2.nextCall()).isEqualTo(ringing);
            assertThat(ringing.path("id").asText()).isNotEqualTo(aliceCallId);
            assertThat(ringing.path("state").asText()).isEqualTo("connecting");
            assertThat(ringing.path("direction").asText()).isEqualTo("inbound");
            assertThat(ringing.path("from").asText()).isEqualTo("1001");
            assertThat(ringing.path("to").asText()).isEqualTo("1002");
            assertThat(ringing.path("caller").path("caller_display_name").asText()).isEqualTo("Alice Agent");
            assertThat(ringing.path("result").isNull()).isTrue();
            assertThat(ringing.path("seq").asLong()).isEqualTo(1);

            JsonNode second = alice.call("placeCall", "{\"to\":\"1002\"}");
            assertThat(second.path("error").path("code").asText()).isEqualTo("outgoing_call_already_ringing");

            String bobCallId = ringing.path("id").asText();
            assertThat(bob1.call("answer", "{\"call_id\":\"" + bobCallId + "\"}").path("ok").asBoolean()).isTrue();
            JsonNode elsewhere = bob2.nextCall();
            assertThat(summary(elsewhere)).isEqualTo("disconnected/answered_elsewhere@2");
            assertThat(bob2.call("hangUp", "{}").path("error").path("code").asText()).isEqualTo("call_not_found");
            assertThat(bob1.call("hangUp", "{}").path("ok").asBoolean()).isTrue();

            assertThat(summaries(bob1.nextCalls(2))).containsExactly("answered@2", "disconnected/local_hangup@3");
            List<JsonNode> aliceSaw = alice.nextCalls(2);
            assertThat(summaries(aliceSaw)).containsExactly("answered@2", "disconnected/remote_hangup@3");
            JsonNode end = aliceSaw.get(1);
            assertThat(end.path("result").asText()).isEqualTo("answered");
            assertThat(end.path("start_time").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
            assertThat(end.path("answer_time").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
            assertThat(end.path("end_time").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
            assertThat(bob2.quiet(Duration.ofMillis(300))).as("nothing after answered_elsewhere").isTrue();
            assertThat(alice.quiet(Duration.ZERO)).isTrue();

            List<CallRecord> log = new CallLog(gateway.db).recent(10);
            assertThat(log).extracting(CallRecord::id).containsExactlyInAnyOrder(aliceCallId, bobCallId);
            assertThat(log).allSatisfy(r -> assertThat(r.result()).isEqualTo("answered"));
        }
    }

    @Test
    void transfer_badInput_overTheWire_getsATypedErrorCode_andTheCallGoesOn() throws Exception {
        gateway = new CallGateway(dir, Map.of());
        try (var alice = gateway.signIn("alice"); var bob = gateway.signIn("bob")) {
            assertThat(code(alice.call("transfer", "{\"to\":\"1002\"}"))).isEqualTo("call_not_found"); // no call
            alice.call("placeCall", "{\"to\":\"1002\"}");
            String bobsCall = bob.nextCall().path("id").asText();
            assertThat(code(bob.call("transfer", "{\"to\":\"1001\",\"call_id\":\"" + bobsCall + "\"}")))
                    .isEqualTo("transfer_failed"); // not answered yet
            assertThat(bob.call("answer", "{}").path("ok").asBoolean()).isTrue();
            assertThat(code(bob.call("transfer", "{\"to\":\"not a number\"}"))).isEqualTo("invalid_phone_number");
            assertThat(code(bob.call("transfer", "{\"to\":\"1002\"}"))).isEqualTo("transfer_failed"); // oneself
            assertThat(code(bob.call("transfer", "{\"to\":\"1001\",\"to_call_id\":\"x\"}"))).isEqualTo("bad_request");
            assertThat(code(bob.call("transfer", "{\"to_call_id\":5}"))).isEqualTo("bad_request");
            assertThat(code(bob.call("transfer", "{\"to_call_id\":\"no-such-call\"}"))).isEqualTo("call_not_found");
            assertThat(code(bob.call("transfer", "{\"to_call_id\":\"" + bobsCall + "\"}")))
                    .isEqualTo("transfer_failed"); // no other call to join it with
            assertThat(bob.call("hangUp", "{}").path("ok").asBoolean()).isTrue(); // still there, still answered
        }
    }

    private static String code(JsonNode response) {
        return response.path("error").path("code").asText();
    }

    @Test
    void extensionCall_rejectedByTheCallee_endsDeclinedForBoth() throws Exception {
        gateway = new CallGateway(dir, Map.of());
        try (var alice = gateway.signIn("alice"); var bob = gateway.signIn("bob")) {
            alice.call("placeCall", "{\"to\":\"1002\"}");
            bob.nextCall();
            assertThat(bob.call("reject", "{}").path("ok").asBoolean()).isTrue();
            assertThat(summaries(alice.nextCalls(2))).containsExactly("connecting@1", "disconnected/declined@2");
            JsonNode end = bob.nextCall();
            assertThat(summary(end)).isEqualTo("disconnected/declined@2");
            assertThat(end.path("result").asText()).isEqualTo("not_answered");
        }
    }

    @Test
    void recentCalls_listTheUsersOwnCallsNewestFirst_fromTheCallLog() throws Exception {
        gateway = new CallGateway(dir, Map.of());
        try (var alice = gateway.signIn("alice"); var bob = gateway.signIn("bob")) {
            alice.call("placeCall", "{\"to\":\"1002\"}");
            bob.nextCall();
            bob.call("reject", "{}");
            alice.nextCalls(2);
            bob.nextCall();
            JsonNode mine = alice.call("recentCalls", "{}").path("result").path("calls");
            assertThat(mine).hasSize(1);
            assertThat(mine.get(0).path("direction").asText()).isEqualTo("outbound");
            assertThat(mine.get(0).path("to").asText()).isEqualTo("1002");
            assertThat(mine.get(0).path("end_reason").asText()).isEqualTo("declined");
            assertThat(mine.get(0).has("seq")).isFalse();
            JsonNode theirs = bob.call("recentCalls", "{\"limit\":5}").path("result").path("calls");
            assertThat(theirs).hasSize(1);
            assertThat(theirs.get(0).path("direction").asText()).isEqualTo("inbound");
            assertThat(theirs.get(0).path("id").asText()).isNotEqualTo(mine.get(0).path("id").asText());
            assertThat(alice.call("recentCalls", "{\"limit\":0}").path("error").path("code").asText())
                    .isEqualTo("bad_request");
        }
        try (var ws = WsTestClient.connect(gateway.config.publicUrlText())) {
            var anonymous = new CallGateway.Dialer(ws);
            assertThat(anonymous.call("recentCalls", "{}").path("error").path("code").asText())
                    .isEqualTo("authentication_required");
        }
    }

    @Test
    void extensionCall_canceledByTheCaller_endsCanceledForBoth_andALaterHangUpFindsNoCall() throws Exception {
        gateway = new CallGateway(dir, Map.of());
        try (var alice = gateway.signIn("alice"); var bob = gateway.signIn("bob")) {
            String id = alice.call("placeCall", "{\"to\":\"1002\"}").path("result").path("call_id").asText();
            bob.nextCall();
            assertThat(alice.call("hangUp", "{\"call_id\":\"" + id + "\"}").path("ok").asBoolean()).isTrue();
            assertThat(summaries(alice.nextCalls(2))).containsExactly("connecting@1", "disconnected/canceled@2");
            assertThat(summary(bob.nextCall())).isEqualTo("disconnected/canceled@2");
            JsonNode again = alice.call("hangUp", "{\"call_id\":\"" + id + "\"}");
            assertThat(again.path("error").path("code").asText()).isEqualTo("call_not_found");
            assertThat(bob.call("answer", "{}").path("error").path("code").asText()).isEqualTo("call_not_found");
        }
    }

    @Test
    void extensionCall_unanswered_endsNoAnswerForBothAtTheRingTimeout() throws Exception {
        gateway = new CallGateway(dir, Map.of("DIALER_RING_TIMEOUT_S", "1"));
        try (var alice = gateway.signIn("alice")) {
            // Bob has no dialer open: the call rings until the timeout all the same.
            alice.call("placeCall", "{\"to\":\"1002\"}");
            assertThat(summaries(alice.nextCalls(2))).containsExactly("connecting@1", "disconnected/no_answer@2");
            // Bob's half is saved just after Alice's event went out: poll the log, bounded.
            List<String> reasons = List.of();
            for (long deadline = System.nanoTime() + 10_000_000_000L; System.nanoTime() < deadline; ) {
                reasons = new CallLog(gateway.db).recent(10).stream().map(CallRecord::endReason).toList();
                if (reasons.equals(List.of("no_answer", "no_answer"))) {
                    break;
                }
                Thread.sleep(20);
            }
            assertThat(reasons).containsExactly("no_answer", "no_answer");
        }
    }

    @Test
    void signIn_duringARingingCall_firstShowsItsCurrentState() throws Exception {
        gateway = new CallGateway(dir, Map.of());
        try (var alice = gateway.signIn("alice")) {
            alice.call("placeCall", "{\"to\":\"1002\"}");
            alice.nextCall();
            try (var bob = new CallGateway.Dialer(org.opendialer.app.WsTestClient.connect(
                    gateway.config.publicUrlText()))) {
                bob.call("signIn", "{\"username\":\"bob\",\"password\":\"" + CallGateway.PASSWORD + "\"}");
                JsonNode ringing = bob.nextCall();
                assertThat(summary(ringing)).isEqualTo("connecting@1");
                assertThat(ringing.path("direction").asText()).isEqualTo("inbound");
            }
        }
    }

    @Test
    void placeCall_refusesUnknownAndOwnExtensions_andNumbersWithoutATrunk() throws Exception {
        gateway = new CallGateway(dir, Map.of());
        try (var alice = gateway.signIn("alice")) {
            JsonNode unknown = alice.call("placeCall", "{\"to\":\"1099\"}");
            assertThat(unknown.path("error").path("code").asText()).isEqualTo("invalid_phone_number");
            assertThat(unknown.path("error").path("message").asText()).isEqualTo("No user has extension 1099.");
            JsonNode own = alice.call("placeCall", "{\"to\":\"1001\"}");
            assertThat(own.path("error").path("code").asText()).isEqualTo("invalid_phone_number");
            JsonNode e164 = alice.call("placeCall", "{\"to\":\"+14155550199\"}");
            assertThat(e164.path("error").path("code").asText()).isEqualTo("calls_unavailable");
            assertThat(e164.path("error").path("message").asText())
                    .isEqualTo("No SIP trunk is configured (DIALER_SIP_TRUNK).");
            assertThat(alice.quiet(Duration.ofMillis(200))).as("no call was created").isTrue();
        }
    }

    @Test
    void hangUp_withoutSignIn_requiresAuthentication() throws Exception {
        gateway = new CallGateway(dir, Map.of());
        try (var anonymous = new CallGateway.Dialer(org.opendialer.app.WsTestClient.connect(
                gateway.config.publicUrlText()))) {
            JsonNode r = anonymous.call("hangUp", "{}");
            assertThat(r.path("error").path("code").asText()).isEqualTo("authentication_required");
        }
    }

    private static String summary(JsonNode call) {
        return CallGateway.Dialer.summary(call);
    }
}
