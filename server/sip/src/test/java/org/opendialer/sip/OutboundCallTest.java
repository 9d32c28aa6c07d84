package org.opendialer.sip;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Calls through the trunk, with SIPp playing the trunk. */
@Timeout(60)
class OutboundCallTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    /** Short timers for the tests that wait for a SIP timer to fire (Timer B = 64 × T1). */
    private static final java.util.function.UnaryOperator<SipSettings> FAST_T1 = s -> s.withT1(Duration.ofMillis(100));

    private SipUserAgent agent;

    // RFC 3261's T1 (500 ms) by default: with a shorter one, INVITE retransmissions reached a loaded
    // SIPp after it had answered and aborted its scenario.
    private SipUserAgent startAgent(int trunkPort, String transport, SipSettings.Trunk trunkOverride,
                                    java.util.function.UnaryOperator<SipSettings> tweak) {
        int port = FreePorts.next();
        SipSettings.Trunk trunk = trunkOverride != null ? trunkOverride
                : new SipSettings.Trunk("127.0.0.1", trunkPort, transport);
        SipSettings settings = tweak.apply(new SipSettings("127.0.0.1", port, "127.0.0.1", trunk, null, null,
                Duration.ofSeconds(20), Duration.ofMillis(500)));
        agent = new SipUserAgent(settings, InboundCallHandler.REJECT_ALL);
        agent.start();
        return agent;
    }

    private SipUserAgent startAgent(int trunkPort) {
        return startAgent(trunkPort, "udp", null, s -> s);
    }

    @AfterEach
    void stopAgent() {
        if (agent != null) {
            agent.stop();
        }
    }

    private AudioSdp offer() {
        return agent.localOffer(40000);
    }

    @Test
    void placeCall_answered_reportsTrunkSdp_andHangUpSendsBye() throws Exception {
        int sippPort = FreePorts.next();
        try (Sipp sipp = Sipp.uas("uas_answer.xml", sippPort, Map.of())) {
            startAgent(sippPort);
            RecordingListener listener = new RecordingListener();
            OutboundCall call = agent.placeCall("+14155550100", "Ada", "+14155550199", offer(), listener);

            assertThat(listener.next(WAIT)).isEqualTo("provisional 180");
            assertThat(listener.next(WAIT)).isEqualTo("answered");
            AudioSdp answer = listener.answeredSdp;
            assertThat(answer.port()).isEqualTo(sippPort + 2);
            assertThat(answer.address()).isEqualTo("127.0.0.1");
            assertThat(answer.firstCommonCodec()).contains(RtpFormat.PCMA);
            assertThat(call.state()).isEqualTo(CallState.CONFIRMED);

            call.hangUp();
            assertThat(sipp.awaitExit(WAIT)).as(sipp.logs()).isZero();
            assertThat(call.state()).isEqualTo(CallState.TERMINATED);
            assertThat(listener.events).isEmpty();
            assertThat(sipp.messages()).contains("INVITE sip:+14155550199@127.0.0.1:" + sippPort + " SIP/2.0",
                    "From: \"Ada\" <sip:+14155550100@127.0.0.1>;tag=", "m=audio 40000 RTP/AVP 0 8 101");
        }
    }

    @Test
    void answered_whenThe200OkIsRetransmitted_becauseTheAckWasLost_isAckedAgain_andReportedOnce() throws Exception {
        int sippPort = FreePorts.next();
        try (Sipp sipp = Sipp.uas("uas_answer_ack_lost.xml", sippPort, Map.of())) {
            startAgent(sippPort);
            RecordingListener listener = new RecordingListener();
            OutboundCall call = agent.placeCall("+14155550100", "Ada", "+14155550199", offer(), listener);
            assertThat(listener.next(WAIT)).isEqualTo("provisional 180");
            assertThat(listener.next(WAIT)).isEqualTo("answered");
            // Then the trunk hangs up: the call was confirmed all along.
            assertThat(listener.next(WAIT)).isEqualTo("remoteHangup");
            assertThat(sipp.awaitExit(WAIT)).as(sipp.logs()).isZero();
            assertThat(call.state()).isEqualTo(CallState.TERMINATED);
            // Our re-ACK is byte-identical to the first (as it must be). SIPp takes it for a retransmission
            // of the ACK it already matched and re-sends its last message: so the check is that the
            // retransmitted 200 got an ACK, and every 200 to the INVITE got one, not a fixed count.
            String trace = sipp.messages();
            int oks = count(trace, "SIP/2.0 200 OK\nVia: SIP/2.0/UDP 127.0.0.1:" + agent.settings().port());
            int acks = count(trace, "\nACK sip:");
            assertThat(acks).as(trace).isGreaterThanOrEqualTo(2);
            assertThat(oks - acks).as("200 OKs to the INVITE without an ACK").isBetween(0, 1);
            assertThat(listener.events).as("the retransmitted 200 is not a second answer").isEmpty();
        }
    }

    private static int count(String text, String part) {
        return text.replace("\r\n", "\n").split(java.util.regex.Pattern.quote(part), -1).length - 1;
    }

    @Test
    void placeCall_anonymous_sendsAnonymousFromAndPrivacyId() throws Exception {
        int sippPort = FreePorts.next();
        try (Sipp sipp = Sipp.uas("uas_reject.xml", sippPort, Map.of("status", "486", "reason", "Busy Here"))) {
            startAgent(sippPort);
            RecordingListener listener = new RecordingListener();
            agent.placeCall(null, "Ignored Name", "+14155550199", offer(), listener);
            assertThat(listener.nextFinal(WAIT)).isEqualTo("failed BUSY 486");
            assertThat(sipp.awaitExit(WAIT)).as(sipp.logs()).isZero();
            assertThat(sipp.messages()).contains("From: \"Anonymous\" <sip:anonymous@anonymous.invalid>;tag=",
                    "Privacy: id").doesNotContain("Ignored Name");
        }
    }

    @Test
    void placeCall_displayNameWithQuotesAndNewlines_cannotInjectHeaders() throws Exception {
        int sippPort = FreePorts.next();
        try (Sipp sipp = Sipp.uas("uas_reject.xml", sippPort, Map.of("status", "486", "reason", "Busy Here"))) {
            startAgent(sippPort);
            RecordingListener listener = new RecordingListener();
            agent.placeCall("+14155550100", "Eve\"\r\nX-Evil: 1", "+14155550199", offer(), listener);
            assertThat(listener.nextFinal(WAIT)).isEqualTo("failed BUSY 486");
            assertThat(sipp.awaitExit(WAIT)).as(sipp.logs()).isZero();
            assertThat(sipp.messages()).contains("From: \"EveX-Evil: 1\" <sip:+14155550100@127.0.0.1>")
                    .doesNotContain("\nX-Evil");
        }
    }

    @Test
    void placeCall_toSomethingNotANumber_throwsInvalidNumber() {
        startAgent(9);
        for (String[] fromTo : new String[][] {{"+14155550100", "sip:evil@x"}, {"1 2", "+14155550199"}}) {
            org.assertj.core.api.Assertions.assertThatThrownBy(
                            () -> agent.placeCall(fromTo[0], null, fromTo[1], offer(), new RecordingListener()))
                    .isInstanceOfSatisfying(SipAgentException.class,
                            e -> assertThat(e.reason()).isEqualTo(SipAgentException.Reason.INVALID_NUMBER));
        }
        assertThat(agent.activeCalls()).isZero();
    }

    @Test
    void placeCall_overTcpTrunk_answered_andHangUpSendsBye() throws Exception {
        int sippPort = FreePorts.next();
        try (Sipp sipp = Sipp.uasOverTcp("uas_answer.xml", sippPort)) {
            startAgent(sippPort, "tcp", null, s -> s);
            RecordingListener listener = new RecordingListener();
            OutboundCall call = agent.placeCall("+14155550100", null, "+14155550199", offer(), listener);
            assertThat(listener.nextFinal(WAIT)).isEqualTo("answered");
            call.hangUp();
            assertThat(sipp.awaitExit(WAIT)).as(sipp.logs()).isZero();
            assertThat(sipp.messages()).contains("SIP/2.0/TCP 127.0.0.1:");
        }
    }

    @Test
    void reInvite_forHold_sendsSendonlyOffer_andTakesTheAnswer() throws Exception {
        int sippPort = FreePorts.next();
        try (Sipp sipp = Sipp.uas("uas_hold.xml", sippPort, Map.of())) {
            startAgent(sippPort);
            RecordingListener listener = new RecordingListener();
            OutboundCall call = agent.placeCall("+14155550100", null, "+14155550199", offer(), listener);
            assertThat(listener.nextFinal(WAIT)).isEqualTo("answered");
            AudioSdp hold = call.localSdp().withDirection(MediaDirection.SENDONLY);
            call.reInvite(hold);
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (call.remoteSdp().direction() != MediaDirection.RECVONLY && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(call.remoteSdp().direction()).isEqualTo(MediaDirection.RECVONLY);
            assertThat(call.localSdp()).isEqualTo(hold);
            call.hangUp();
            assertThat(sipp.awaitExit(WAIT)).as(sipp.logs()).isZero();
        }
    }

    @Test
    void placeCall_trunkAnswers486_failsWithBusy() throws Exception {
        assertRejection(486, "Busy Here", "failed BUSY 486");
    }

    @Test
    void placeCall_trunkAnswers603_failsWithDeclined() throws Exception {
        assertRejection(603, "Decline", "failed DECLINED 603");
    }

    @Test
    void placeCall_trunkAnswers480_failsWithNoAnswer() throws Exception {
        assertRejection(480, "Temporarily Unavailable", "failed NO_ANSWER 480");
    }

    private void assertRejection(int status, String reason, String expected) throws Exception {
        int sippPort = FreePorts.next();
        try (Sipp sipp = Sipp.uas("uas_reject.xml", sippPort, Map.of("status", "" + status, "reason", reason))) {
            startAgent(sippPort);
            RecordingListener listener = new RecordingListener();
            OutboundCall call = agent.placeCall("+14155550100", null, "+14155550199", offer(), listener);
            assertThat(listener.nextFinal(WAIT)).isEqualTo(expected);
            assertThat(sipp.awaitExit(WAIT)).as(sipp.logs()).isZero(); // SIPp got its ACK
            assertThat(call.state()).isEqualTo(CallState.TERMINATED);
        }
    }

    @Test
    void placeCall_nothingListeningOnUdp_failsUnreachableAfterTimerB() throws Exception {
        int deadPort = FreePorts.next();
        startAgent(deadPort, "udp", null, FAST_T1); // T1 = 100 ms, so Timer B = 6.4 s
        RecordingListener listener = new RecordingListener();
        long start = System.nanoTime();
        agent.placeCall("+14155550100", null, "+14155550199", offer(), listener);
        assertThat(listener.next(Duration.ofSeconds(15))).isEqualTo("failed UNREACHABLE 0");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofSeconds(5), Duration.ofSeconds(12));
    }

    @Test
    void invite_overUdp_isRetransmittedWithTheSameBranch_untilTimerB() throws Exception {
        int trunkPort = FreePorts.next();
        try (java.net.DatagramSocket trunk = new java.net.DatagramSocket(trunkPort,
                java.net.InetAddress.getLoopbackAddress())) {
            trunk.setSoTimeout(3000);
            startAgent(trunkPort, "udp", null, FAST_T1); // T1 = 100 ms: copies after 100, 200, 400 ms...
            RecordingListener listener = new RecordingListener();
            agent.placeCall("+14155550100", null, "+14155550199", offer(), listener);
            java.util.List<String> copies = new java.util.ArrayList<>();
            long start = System.nanoTime();
            for (int i = 0; i < 3; i++) {
                java.net.DatagramPacket p = new java.net.DatagramPacket(new byte[8192], 8192);
                trunk.receive(p);
                copies.add(new String(p.getData(), 0, p.getLength(), java.nio.charset.StandardCharsets.UTF_8));
            }
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
            java.util.regex.Pattern branch = java.util.regex.Pattern.compile("branch=([^;\\r]+)");
            java.util.Set<String> branches = new java.util.HashSet<>();
            for (String copy : copies) {
                assertThat(copy).startsWith("INVITE sip:+14155550199@127.0.0.1:" + trunkPort).contains("CSeq: 1 INVITE");
                java.util.regex.Matcher m = branch.matcher(copy);
                assertThat(m.find()).isTrue();
                branches.add(m.group(1));
            }
            assertThat(branches).hasSize(1);
            assertThat(listener.next(Duration.ofSeconds(15))).isEqualTo("failed UNREACHABLE 0");
        }
    }

    @Test
    void placeCall_nothingListeningOnTcp_failsUnreachableAtOnce() throws Exception {
        int deadPort = FreePorts.next();
        startAgent(deadPort, "tcp", null, s -> s);
        RecordingListener listener = new RecordingListener();
        long start = System.nanoTime();
        agent.placeCall("+14155550100", null, "+14155550199", offer(), listener);
        assertThat(listener.next(Duration.ofSeconds(15))).isEqualTo("failed UNREACHABLE 0");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
    }

    private static final Map<String, String> CHALLENGE_401 = Map.of("status", "401", "reason", "Unauthorized",
            "challenge", "WWW-Authenticate",
            "verify", "<verifyauth assign_to=\"authvalid\" username=\"gw\" password=\"s3cret\"/>",
            "gate", "<nop hide=\"true\" test=\"authvalid\" next=\"goodauth\"/>");

    @Test
    void placeCall_401Challenge_retriesWithCredentialsSippVerifies_andIsAnswered() throws Exception {
        int sippPort = FreePorts.next();
        try (Sipp sipp = Sipp.uas("uas_auth.xml", sippPort, CHALLENGE_401)) {
            startAgent(sippPort, "udp", null, s -> s.withCredentials("gw", "s3cret"));
            RecordingListener listener = new RecordingListener();
            OutboundCall call = agent.placeCall("+14155550100", null, "+14155550199", offer(), listener);
            assertThat(listener.nextFinal(WAIT)).isEqualTo("answered");
            assertThat(listener.answeredSdp.firstCommonCodec()).contains(RtpFormat.PCMU);
            call.hangUp();
            assertThat(sipp.awaitExit(WAIT)).as(sipp.logs()).isZero();
        }
    }

    @Test
    void placeCall_401WithWrongPassword_failsWith403() throws Exception {
        int sippPort = FreePorts.next();
        try (Sipp sipp = Sipp.uas("uas_auth.xml", sippPort, CHALLENGE_401)) {
            startAgent(sippPort, "udp", null, s -> s.withCredentials("gw", "wrong"));
            RecordingListener listener = new RecordingListener();
            agent.placeCall("+14155550100", null, "+14155550199", offer(), listener);
            assertThat(listener.nextFinal(WAIT)).isEqualTo("failed FAILED 403");
            sipp.awaitExit(WAIT);
        }
    }

    @Test
    void placeCall_407Challenge_retriesWithProxyAuthorization_andIsAnswered() throws Exception {
        int sippPort = FreePorts.next();
        Map<String, String> challenge407 = Map.of("status", "407", "reason", "Proxy Authentication Required",
                "challenge", "Proxy-Authenticate", "verify", "", "gate", "<nop hide=\"true\" next=\"goodauth\"/>");
        try (Sipp sipp = Sipp.uas("uas_auth.xml", sippPort, challenge407)) {
            startAgent(sippPort, "udp", null, s -> s.withCredentials("gw", "s3cret"));
            RecordingListener listener = new RecordingListener();
            OutboundCall call = agent.placeCall("+14155550100", null, "+14155550199", offer(), listener);
            assertThat(listener.nextFinal(WAIT)).isEqualTo("answered");
            call.hangUp();
            assertThat(sipp.awaitExit(WAIT)).as(sipp.logs()).isZero();

            java.util.regex.Matcher m = java.util.regex.Pattern.compile("Proxy-Authorization: Digest (.*)")
                    .matcher(sipp.messages());
            assertThat(m.find()).as("the retry carries Proxy-Authorization").isTrue();
            Map<String, String> p = new java.util.HashMap<>();
            java.util.regex.Matcher kv = java.util.regex.Pattern.compile("(\\w+)=\"?([^\",]*)").matcher(m.group(1));
            while (kv.find()) {
                p.put(kv.group(1), kv.group(2));
            }
            assertThat(p).containsEntry("username", "gw").containsEntry("realm", "trunk.test")
                    .containsEntry("qop", "auth").containsEntry("nc", "00000001").containsEntry("opaque", "0pq")
                    .containsEntry("uri", "sip:+14155550199@127.0.0.1:" + sippPort);
            assertThat(p.get("response")).isEqualTo(DigestAuthenticator.response("gw", "trunk.test", "s3cret",
                    "INVITE", p.get("uri"), p.get("nonce"), "00000001", p.get("cnonce"), "auth"));
        }
    }

    @Test
    void hangUp_whileRinging_sendsCancel_andTrunk487Completes() throws Exception {
        int sippPort = FreePorts.next();
        try (Sipp sipp = Sipp.uas("uas_cancel.xml", sippPort, Map.of())) {
            startAgent(sippPort);
            RecordingListener listener = new RecordingListener();
            OutboundCall call = agent.placeCall("+14155550100", null, "+14155550199", offer(), listener);
            assertThat(listener.next(WAIT)).isEqualTo("provisional 180");
            call.hangUp();
            assertThat(listener.next(WAIT)).isEqualTo("failed CANCELED 0");
            assertThat(sipp.awaitExit(WAIT)).as(sipp.logs()).isZero(); // CANCEL arrived, 487 was ACKed
            awaitState(call, CallState.TERMINATED);
        }
    }

    @Test
    void ringTimeout_cancelsCall_andFailsWithNoAnswer() throws Exception {
        int sippPort = FreePorts.next();
        try (Sipp sipp = Sipp.uas("uas_cancel.xml", sippPort, Map.of())) {
            startAgent(sippPort, "udp", null, s -> s.withRingTimeout(Duration.ofSeconds(1)));
            RecordingListener listener = new RecordingListener();
            OutboundCall call = agent.placeCall("+14155550100", null, "+14155550199", offer(), listener);
            assertThat(listener.next(WAIT)).isEqualTo("provisional 180");
            assertThat(listener.next(WAIT)).isEqualTo("failed NO_ANSWER 0");
            assertThat(sipp.awaitExit(WAIT)).as(sipp.logs()).isZero();
            awaitState(call, CallState.TERMINATED);
        }
    }

    @Test
    void okArrivingAfterCancel_isAckedThenByed() throws Exception {
        int sippPort = FreePorts.next();
        try (Sipp sipp = Sipp.uas("uas_answer_after_cancel.xml", sippPort, Map.of())) {
            startAgent(sippPort);
            RecordingListener listener = new RecordingListener();
            OutboundCall call = agent.placeCall("+14155550100", null, "+14155550199", offer(), listener);
            assertThat(listener.next(WAIT)).isEqualTo("provisional 180");
            call.hangUp();
            assertThat(listener.next(WAIT)).isEqualTo("failed CANCELED 0");
            assertThat(sipp.awaitExit(WAIT)).as(sipp.logs()).isZero(); // ACK and BYE for the late 200
            awaitState(call, CallState.TERMINATED);
            assertThat(listener.events).isEmpty();
        }
    }

    @Test
    void trunkHoldsThenResumes_theResumeIsAnsweredSendrecvAgain() throws Exception {
        int sippPort = FreePorts.next();
        try (Sipp sipp = Sipp.uas("uas_hold_resume_bye.xml", sippPort, Map.of())) {
            startAgent(sippPort);
            RecordingListener listener = new RecordingListener();
            OutboundCall call = agent.placeCall("+14155550100", null, "+14155550199", offer(), listener);
            assertThat(listener.nextFinal(WAIT)).isEqualTo("answered");
            assertThat(listener.next(WAIT)).isEqualTo("reInvited SENDONLY");
            assertThat(listener.next(WAIT)).isEqualTo("reInvited SENDRECV");
            assertThat(call.localSdp().direction()).isEqualTo(MediaDirection.SENDRECV);
            assertThat(listener.next(WAIT)).isEqualTo("remoteHangup");
            assertThat(sipp.awaitExit(WAIT)).as(sipp.logs()).isZero(); // SIPp checks both answers' directions
        }
    }

    @Test
    void trunkReInvitesForHold_isAnsweredRecvonly_thenRemoteBye() throws Exception {
        int sippPort = FreePorts.next();
        try (Sipp sipp = Sipp.uas("uas_reinvite_bye.xml", sippPort, Map.of())) {
            startAgent(sippPort);
            RecordingListener listener = new RecordingListener();
            OutboundCall call = agent.placeCall("+14155550100", null, "+14155550199", offer(), listener);
            assertThat(listener.nextFinal(WAIT)).isEqualTo("answered");
            assertThat(listener.next(WAIT)).isEqualTo("reInvited SENDONLY");
            assertThat(call.localSdp().direction()).isEqualTo(MediaDirection.RECVONLY);
            assertThat(listener.next(WAIT)).isEqualTo("remoteHangup");
            assertThat(sipp.awaitExit(WAIT)).as(sipp.logs()).isZero();
            assertThat(call.state()).isEqualTo(CallState.TERMINATED);
        }
    }

    @Test
    void reInvite2xxArrivingAfterOurBye_isAckedAnyway_andTheByeStands() throws Exception {
        int sippPort = FreePorts.next();
        try (Sipp sipp = Sipp.uas("uas_reinvite_2xx_after_bye.xml", sippPort, Map.of())) {
            startAgent(sippPort);
            RecordingListener listener = new RecordingListener();
            OutboundCall call = agent.placeCall("+14155550100", null, "+14155550199", offer(), listener);
            assertThat(listener.nextFinal(WAIT)).isEqualTo("answered");
            call.reInvite(call.localSdp().withDirection(MediaDirection.SENDONLY));
            call.hangUp(); // SIPp answers this BYE, then the re-INVITE: its scenario fails without our ACK (RFC 3261 13.2.2.4)
            assertThat(sipp.awaitExit(WAIT)).as(sipp.logs()).isZero();
            assertThat(call.state()).isEqualTo(CallState.TERMINATED);
        }
    }

    @Test
    void reInvite_unanswered_endsTheCallWithBye() throws Exception {
        int sippPort = FreePorts.next();
        try (Sipp sipp = Sipp.uas("uas_ignore_reinvite.xml", sippPort, Map.of())) {
            startAgent(sippPort, "udp", null, FAST_T1); // T1 = 100 ms: the re-INVITE times out after 6.4 s
            RecordingListener listener = new RecordingListener();
            OutboundCall call = agent.placeCall("+14155550100", null, "+14155550199", offer(), listener);
            assertThat(listener.nextFinal(WAIT)).isEqualTo("answered");
            call.reInvite(call.localSdp().withDirection(MediaDirection.SENDONLY));
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> call.reInvite(call.localSdp()))
                    .as("a second re-INVITE while one is pending").isInstanceOf(SipAgentException.class);
            assertThat(listener.next(Duration.ofSeconds(15))).isEqualTo("remoteHangup");
            assertThat(sipp.awaitExit(WAIT)).as(sipp.logs()).isZero(); // the BYE arrived
            assertThat(call.state()).isEqualTo(CallState.TERMINATED);
        }
    }

    @Test
    void placeCall_withoutTrunk_throwsInvalidSettings() {
        int port = FreePorts.next();
        agent = new SipUserAgent(SipSettings.of("127.0.0.1", port, null), null);
        agent.start();
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> agent.placeCall("+1", null, "+14155550199", offer(), new RecordingListener()))
                .isInstanceOfSatisfying(SipAgentException.class,
                        e -> assertThat(e.reason()).isEqualTo(SipAgentException.Reason.INVALID_SETTINGS));
    }

    static void awaitState(SipCall call, CallState state) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (call.state() != state && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(call.state()).isEqualTo(state);
    }
}
