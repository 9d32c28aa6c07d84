package org.opendialer.app.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.opendialer.app.WsTestClient;

/**
 * A session of one user cannot act on another user's call: alice calls bob's extension; carol
 * (a third user, signed in with her own password or by resuming her own session), and each party
 * on the other party's leg, try hangUp, answer, reject, hold and updateMedia with the call ids they
 * learn — all answered call_not_found (or an error before the lookup), and the call goes on
 * untouched. recentCalls shows each user only their own legs.
 */
class CrossUserTest {
    @TempDir
    Path dir;
    private FuzzGateway gateway;

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
    }

    private static int n;

    /** Sends a request, returns its response; events that arrive meanwhile go to {@code events}. */
    private static JsonNode req(WsTestClient ws, List<JsonNode> events, String method, String params) throws Exception {
        String id = "x" + (++n);
        JsonNode f = ws.request(id, method, params);
        while (!f.path("type").asText().equals("response")) {
            events.add(f);
            f = ws.next();
        }
        assertThat(f.path("id").asText()).isEqualTo(id);
        return f;
    }

    private static WsTestClient signIn(FuzzGateway g, String user) throws Exception {
        WsTestClient ws = g.connect();
        JsonNode r = ws.request("s", "signIn", "{\"username\":\"" + user + "\",\"password\":\"" + FuzzGateway.PASSWORD + "\"}");
        assertThat(r.path("ok").asBoolean()).as(r.toString()).isTrue();
        return ws;
    }

    private static JsonNode nextCall(WsTestClient ws, List<JsonNode> events) throws Exception {
        JsonNode f = events.isEmpty() ? ws.next() : events.remove(0);
        assertThat(f.path("event").path("type").asText()).as(f.toString()).isEqualTo("callStateChanged");
        return f.path("event").path("call");
    }

    /** Every way {@code ws} could act on {@code callId}; none may succeed. */
    private static List<String> attack(WsTestClient ws, List<JsonNode> events, String callId) throws Exception {
        List<String> codes = new ArrayList<>();
        String sdp = org.opendialer.testkit.BrowserOffers.audioOfferJson(0xAA, "abcd");
        String[][] tries = {
                {"hangUp", "{\"call_id\":\"" + callId + "\"}"},
                {"answer", "{\"call_id\":\"" + callId + "\"}"},
                {"answer", "{\"call_id\":\"" + callId + "\",\"sdp\":\"" + sdp + "\"}"},
                {"reject", "{\"call_id\":\"" + callId + "\"}"},
                {"hold", "{\"call_id\":\"" + callId + "\",\"held\":true}"},
                {"hold", "{\"call_id\":\"" + callId + "\",\"held\":false}"},
                {"updateMedia", "{\"call_id\":\"" + callId + "\",\"sdp\":\"" + sdp + "\"}"},
        };
        for (String[] t : tries) {
            JsonNode r = req(ws, events, t[0], t[1]);
            assertThat(r.path("ok").asBoolean()).as("%s %s: %s", t[0], t[1], r).isFalse();
            codes.add(t[0] + "=" + r.path("error").path("code").asText());
        }
        return codes;
    }

    @Test
    @Timeout(60)
    void oneUsersSessionCannotTouchAnotherUsersCall_norReadTheirRecentCalls() throws Exception {
        gateway = new FuzzGateway(dir);
        List<JsonNode> aEv = new ArrayList<>();
        List<JsonNode> bEv = new ArrayList<>();
        List<JsonNode> cEv = new ArrayList<>();
        List<JsonNode> c2Ev = new ArrayList<>();
        try (WsTestClient alice = signIn(gateway, "alice"); WsTestClient bob = signIn(gateway, "bob");
             WsTestClient carol = signIn(gateway, "carol"); WsTestClient carol2 = gateway.connect()) {
            // carol2: carol's session resumed on a second connection (a session token of user C).
            JsonNode carolSignIn = req(carol, cEv, "recentCalls", "{}");
            assertThat(carolSignIn.path("ok").asBoolean()).isTrue();
            String carolSession = gateway.accounts.mintSignInToken("carol").token();
            JsonNode c2 = req(carol2, c2Ev, "signInWithToken", "{\"token\":\"" + carolSession + "\"}");
            String carolToken = c2.path("result").path("session").path("token").asText();
            try (WsTestClient carol3 = gateway.connect()) {
                assertThat(req(carol3, new ArrayList<>(), "resume", "{\"session_token\":\"" + carolToken + "\"}").path("ok").asBoolean()).isTrue();
            }

            JsonNode placed = req(alice, aEv, "placeCall", "{\"to\":\"1002\"}");
            String aliceLeg = placed.path("result").path("call_id").asText();
            assertThat(nextCall(alice, aEv).path("state").asText()).isEqualTo("connecting");
            JsonNode ringing = nextCall(bob, bEv);
            String bobLeg = ringing.path("id").asText();
            assertThat(ringing.path("state").asText()).isEqualTo("connecting");

            // While ringing: carol (both connections), bob on alice's leg, alice on bob's leg.
            List<String> codes = new ArrayList<>();
            for (String leg : List.of(aliceLeg, bobLeg)) {
                codes.addAll(attack(carol, cEv, leg));
                codes.addAll(attack(carol2, c2Ev, leg));
            }
            codes.addAll(attack(bob, bEv, aliceLeg));
            List<String> aliceOnBob = attack(alice, aEv, bobLeg);
            codes.addAll(aliceOnBob);
            assertThat(aEv).as("alice's events after the attempts while ringing").isEmpty();
            assertThat(bEv).as("bob's events after the attempts while ringing").isEmpty();
            assertThat(alice.hasNoPendingFrames() && bob.hasNoPendingFrames()).isTrue();

            // Bob answers for real; then the same attempts on the answered call.
            assertThat(req(bob, bEv, "answer", "{\"call_id\":\"" + bobLeg + "\"}").path("ok").asBoolean()).isTrue();
            assertThat(nextCall(bob, bEv).path("state").asText()).isEqualTo("answered");
            assertThat(nextCall(alice, aEv).path("state").asText()).isEqualTo("answered");
            for (String leg : List.of(aliceLeg, bobLeg)) {
                codes.addAll(attack(carol, cEv, leg));
                codes.addAll(attack(carol2, c2Ev, leg));
            }
            codes.addAll(attack(bob, bEv, aliceLeg));
            codes.addAll(attack(alice, aEv, bobLeg));
            Thread.sleep(300);
            assertThat(aEv).as("alice's events after the attempts while answered").isEmpty();
            assertThat(bEv).as("bob's events after the attempts while answered").isEmpty();
            assertThat(alice.hasNoPendingFrames() && bob.hasNoPendingFrames()).as("no event for alice or bob").isTrue();
            assertThat(cEv).as("carol saw nothing of the call").isEmpty();
            assertThat(c2Ev).isEmpty();

            // recentCalls: each user sees their own leg only; carol sees neither.
            JsonNode carolCalls = req(carol, cEv, "recentCalls", "{\"limit\":100}");
            assertThat(carolCalls.path("result").path("calls").size()).as(carolCalls.toString()).isZero();
            JsonNode carol2Calls = req(carol2, c2Ev, "recentCalls", "{\"limit\":100}");
            assertThat(carol2Calls.path("result").path("calls").size()).isZero();
            List<String> aliceIds = new ArrayList<>();
            req(alice, aEv, "recentCalls", "{}").path("result").path("calls").forEach(c -> aliceIds.add(c.path("id").asText()));
            assertThat(aliceIds).contains(aliceLeg).doesNotContain(bobLeg);
            List<String> bobIds = new ArrayList<>();
            req(bob, bEv, "recentCalls", "{}").path("result").path("calls").forEach(c -> bobIds.add(c.path("id").asText()));
            assertThat(bobIds).contains(bobLeg).doesNotContain(aliceLeg);

            // The call is still up and ends normally, by its own parties.
            assertThat(req(alice, aEv, "hangUp", "{\"call_id\":\"" + aliceLeg + "\"}").path("ok").asBoolean()).isTrue();
            JsonNode aEnd = nextCall(alice, aEv);
            JsonNode bEnd = nextCall(bob, bEv);
            assertThat(aEnd.path("state").asText() + "/" + aEnd.path("end_reason").asText()).isEqualTo("disconnected/local_hangup");
            assertThat(bEnd.path("state").asText() + "/" + bEnd.path("end_reason").asText()).isEqualTo("disconnected/remote_hangup");
            assertThat(codes).allSatisfy(c -> assertThat(c).doesNotEndWith("=internal_error"));
            System.out.println("Cross-user: " + codes.size() + " attempts on another user's call, all refused: "
                    + codes.stream().map(c -> c.substring(c.indexOf('=') + 1)).collect(
                            java.util.stream.Collectors.groupingBy(c -> c, java.util.TreeMap::new, java.util.stream.Collectors.counting())));
        }
    }
}
